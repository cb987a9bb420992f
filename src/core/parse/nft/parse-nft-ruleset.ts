/**
 * `nft list ruleset` (with or without `-a` handles and `-s`) → NftRuleset.
 * Also reads `nft -f` input, where the same things are commands, one a line:
 * `add table ip kube-proxy { comment "…" ; }`, `add chain ip kube-proxy services`,
 * `add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips`,
 * `add element ip kube-proxy service-ips { … }` (kube-proxy's own test dumps).
 * Lexer → cursor → tables/chains/sets here, rules in parse-nft-rule. Never throws.
 */
import type { ParseResult } from '../../source';
import type { NftChain, NftFamily, NftRuleset, NftSet, NftTable } from '../../model/nftables';
import { NftCursor } from './nft-cursor';
import type { NftToken } from './nft-lex';
import { parseElements } from './parse-nft-expr';
import { parseRule } from './parse-nft-rule';
import { priorityValue } from './nft-priority';
import { readSetBody } from './parse-nft-set';

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const OBJECTS = new Set(['counter', 'quota', 'limit', 'ct', 'flowtable', 'secmark', 'synproxy']);
const VERBS = new Set(['add', 'create', 'insert', 'replace', 'delete', 'destroy', 'flush', 'reset', 'list']);

/** Parses an nftables ruleset. Never throws on input. */
export function parseNftRuleset(text: string): ParseResult<NftRuleset> {
  const c = new NftCursor(text);
  const ruleset: NftRuleset = { tables: new Map() };
  for (;;) {
    c.skipSeparators();
    if (c.tok.kind === 'eof') break;
    const t = c.tok;
    if (c.isWord('table')) readTableBlock(c, ruleset);
    else if (c.isWord() && VERBS.has(t.text)) readCommand(c, ruleset);
    else if (c.isPunct('}')) {
      c.error('nft-unbalanced-brace', t, '"}" closes nothing');
      c.advance();
    } else {
      c.skipStatement();
      c.report('nft-unexpected', 'error', t, `"${t.text.slice(0, 40)}" cannot start an nftables statement: expected "table" or a command (add, delete, flush …)`, c.prev.end > t.start ? c.prev : t);
      if (c.tok === t) c.advance();
    }
  }
  for (const key of c.iptablesNftTables) {
    const table = ruleset.tables.get(key);
    if (table) table.iptablesNft = true;
  }
  return { value: ruleset, issues: c.issues };
}

function tableOf(c: NftCursor, ruleset: NftRuleset, family: string, name: string, at: NftToken): NftTable {
  const key = `${family} ${name}`;
  let t = ruleset.tables.get(key);
  if (!t) {
    t = { family: family as NftFamily, name, chains: new Map(), sets: new Map(), objects: [], flags: [], iptablesNft: false, span: c.span(at) };
    ruleset.tables.set(key, t);
  }
  return t;
}

/** `[family] name`: the family is `ip` when not written (as nft reads it). */
function familyAndName(c: NftCursor, names: number): { family: string } {
  if (c.isWord() && FAMILIES.has(c.tok.text)) {
    // `add table ip` alone names a table called ip; a family needs a name after it.
    const next = c.peek();
    if (names > 1 || next.kind === 'word' || next.kind === 'string') return { family: c.advance().text };
  }
  return { family: 'ip' };
}

/** `table FAMILY NAME { … }`. */
function readTableBlock(c: NftCursor, ruleset: NftRuleset): void {
  const head = c.advance();
  const { family } = familyAndName(c, 1);
  const name = c.name('a table name');
  if (name === undefined) return c.skipStatement();
  const table = tableOf(c, ruleset, family, name, head);
  table.span = c.span(head, c.prev);
  if (!c.isPunct('{')) return;
  readTableBody(c, table, head);
}

/** The inside of `{ … }` of a table: chains, sets, maps, objects, flags, comment. */
function readTableBody(c: NftCursor, table: NftTable, head: NftToken): void {
  const open = c.advance();
  const handle = c.handleAfter(open);
  if (handle !== undefined) table.handle = handle;
  for (;;) {
    c.skipSeparators();
    const t = c.tok;
    if (c.eatPunct('}')) {
      table.span = c.span(head, c.prev);
      return;
    }
    if (t.kind === 'eof') return c.error('nft-unbalanced-brace', open, `table ${table.name}: "{" never closed`);
    if (c.isWord('chain')) {
      c.advance();
      const name = c.name('a chain name');
      if (name === undefined) { c.skipStatement(); continue; }
      const chain = chainOf(c, table, name, t);
      if (c.isPunct('{')) readChainBody(c, table, chain, t);
    } else if (c.isWord('set') || c.isWord('map')) {
      c.advance();
      const name = c.name(`a ${t.text} name`);
      if (name === undefined) { c.skipStatement(); continue; }
      const set = setOf(c, table, t.text as 'set' | 'map', name, t);
      if (c.isPunct('{')) readSetBody(c, set, t);
    } else if (c.eatWord('flags')) {
      while (c.isWord()) {
        table.flags.push(c.advance().text);
        c.eatPunct(',');
      }
    } else if (c.eatWord('comment')) table.comment = c.tok.kind === 'string' || c.tok.kind === 'word' ? c.advance().text : '';
    else if (c.isWord() && OBJECTS.has(t.text)) readObject(c, table, c.advance());
    else {
      c.skipStatement();
      c.report('nft-unexpected', 'error', t, `"${t.text.slice(0, 40)}" cannot appear in a table: expected chain, set, map, flags or comment`, c.prev.end > t.start ? c.prev : t);
      if (c.tok === t) c.advance();
    }
  }
}

function chainOf(c: NftCursor, table: NftTable, name: string, at: NftToken): NftChain {
  let chain = table.chains.get(name);
  if (!chain) {
    chain = { name, rules: [], span: c.span(at, c.prev) };
    table.chains.set(name, chain);
  }
  return chain;
}

function setOf(c: NftCursor, table: NftTable, kind: 'set' | 'map', name: string, at: NftToken): NftSet {
  let set = table.sets.get(name);
  if (!set) {
    set = { name, kind, keyType: [], flags: [], elements: [], span: c.span(at, c.prev) };
    table.sets.set(name, set);
  }
  return set;
}

/** `chain NAME { type … hook … priority …; policy …; comment "…"; RULES }`. */
function readChainBody(c: NftCursor, table: NftTable, chain: NftChain, head: NftToken): void {
  const open = c.advance();
  const handle = c.handleAfter(open);
  if (handle !== undefined) chain.handle = handle;
  for (;;) {
    c.skipSeparators();
    const t = c.tok;
    if (c.eatPunct('}')) {
      chain.span = c.span(head, c.prev);
      return;
    }
    if (t.kind === 'eof') return c.error('nft-unbalanced-brace', open, `chain ${chain.name}: "{" never closed`);
    if (c.isWord('type') && c.peek().kind === 'word') readHook(c, table, chain);
    else if (c.eatWord('policy')) setPolicy(c, chain, t);
    else if (c.isWord('comment') && (c.peek().kind === 'string')) {
      c.advance();
      chain.comment = c.advance().text;
    } else if (c.isWord('devices') || c.isWord('device')) c.skipStatement();
    else chain.rules.push(parseRule(c));
  }
}

/** `type filter hook input [device eth0] priority filter - 5` (the `policy` may follow after `;`). */
function readHook(c: NftCursor, table: NftTable, chain: NftChain): void {
  const t = c.advance();
  const type = c.isWord() ? c.advance().text : '';
  let hook = '';
  let device: string | undefined;
  let priorityText = '';
  let pt: NftToken | undefined;
  while (!c.atStatementEnd()) {
    if (c.eatWord('hook')) hook = c.isWord() ? c.advance().text : '';
    else if (c.eatWord('device')) device = c.tok.kind === 'word' || c.tok.kind === 'string' ? c.advance().text : undefined;
    else if (c.eatWord('priority')) {
      pt = c.tok;
      const parts: string[] = [];
      while (c.isWord() && parts.length < 3 && (parts.length !== 1 || c.tok.text === '-' || c.tok.text === '+')) parts.push(c.advance().text);
      priorityText = parts.join(' ');
    } else if (c.eatWord('policy')) setPolicy(c, chain, c.prev);
    else {
      c.report('nft-unexpected', 'error', c.tok, `"${c.tok.text}" in a base chain's type line`);
      c.advance();
    }
  }
  if (!hook || !pt) {
    c.report('nft-bad-hook', 'error', t, 'a base chain needs "hook" and "priority"', c.prev);
    return;
  }
  let priority = priorityValue(table.family, priorityText);
  if (priority === undefined) {
    c.report('nft-bad-priority', 'error', pt, `priority "${priorityText}" is not a number or a priority name of the ${table.family} family`, c.prev);
    priority = 0;
  }
  chain.hook = { type, hook, ...(device ? { device } : {}), priority, priorityText, policy: chain.hook?.policy ?? 'accept' };
}

function setPolicy(c: NftCursor, chain: NftChain, at: NftToken): void {
  const p = c.isWord() ? c.advance().text : '';
  if (p !== 'accept' && p !== 'drop') return c.report('nft-bad-policy', 'error', at, `policy "${p}": a base chain's policy is accept or drop`, c.prev);
  if (chain.hook) chain.hook.policy = p;
  else c.report('nft-bad-policy', 'warning', at, 'a policy on a chain with no hook does nothing', c.prev);
}

/** `counter NAME { packets 0 bytes 0 }`, `ct helper NAME { … }`, `flowtable NAME { … }`: recorded by kind and name. */
function readObject(c: NftCursor, table: NftTable, t: NftToken): void {
  let kind = t.text;
  if (kind === 'ct' && c.isWord()) kind += ` ${c.advance().text}`;
  const name = c.name(`a ${kind} name`) ?? '';
  if (c.isPunct('{')) {
    c.advance();
    let depth = 1;
    while (depth > 0 && c.tok.kind !== 'eof') {
      if (c.isPunct('{')) depth++;
      else if (c.isPunct('}')) depth--;
      c.advance();
    }
    if (depth > 0) c.error('nft-unbalanced-brace', t, `${kind} ${name}: "{" never closed`);
  }
  table.objects.push({ kind, name, span: c.span(t, c.prev) });
}

/**
 * `add|create|insert|replace|delete|destroy|flush table|chain|rule|set|map|element …`,
 * `flush ruleset`: applied to the ruleset in order, as `nft -f` would.
 */
function readCommand(c: NftCursor, ruleset: NftRuleset): void {
  const verbTok = c.advance();
  const verb = verbTok.text;
  const what = c.isWord() ? c.advance().text : '';
  if (what === 'ruleset') {
    if (verb === 'flush') ruleset.tables.clear();
    return c.skipStatement();
  }
  if (verb === 'list' || verb === 'reset') return c.skipStatement();
  const { family } = familyAndName(c, what === 'table' ? 1 : 2);
  const tname = c.name('a table name');
  if (tname === undefined) return c.skipStatement();
  const key = `${family} ${tname}`;
  if (what === 'table') {
    if (verb === 'delete' || verb === 'destroy') ruleset.tables.delete(key);
    else if (verb === 'flush') {
      const t = ruleset.tables.get(key);
      if (t) for (const ch of t.chains.values()) ch.rules = [];
    } else {
      const table = tableOf(c, ruleset, family, tname, verbTok);
      if (c.isPunct('{')) readTableBody(c, table, verbTok);
    }
    return c.skipStatement();
  }
  const table = ruleset.tables.get(key);
  if (!table) {
    c.report('nft-unknown-table', 'error', verbTok, `table ${key} does not exist (no "add table" before this)`, c.prev);
    return c.skipStatement();
  }
  if (OBJECTS.has(what)) {
    readObject(c, table, { ...verbTok, text: what });
    return c.skipStatement();
  }
  const name = c.name(`a ${what} name`);
  if (name === undefined) return c.skipStatement();
  switch (what) {
    case 'chain':
      if (verb === 'delete' || verb === 'destroy') table.chains.delete(name);
      else if (verb === 'flush') { const ch = table.chains.get(name); if (ch) ch.rules = []; }
      else {
        const chain = chainOf(c, table, name, verbTok);
        if (c.isPunct('{')) readChainBody(c, table, chain, verbTok);
      }
      return c.skipStatement();
    case 'set': case 'map':
      if (verb === 'delete' || verb === 'destroy') table.sets.delete(name);
      else if (verb === 'flush') { const s = table.sets.get(name); if (s) s.elements = []; }
      else {
        const set = setOf(c, table, what, name, verbTok);
        if (c.isPunct('{')) readSetBody(c, set, verbTok);
      }
      return c.skipStatement();
    case 'element': {
      const set = table.sets.get(name);
      if (!set) c.report('nft-unknown-set', 'error', verbTok, `set ${name} does not exist in table ${key}`, c.prev);
      if (!c.isPunct('{')) return c.skipStatement();
      const elements = parseElements(c);
      if (set && (verb === 'delete' || verb === 'destroy')) {
        const gone = new Set(elements.map((e) => e.key.join(' . ')));
        set.elements = set.elements.filter((e) => !gone.has(e.key.join(' . ')));
      } else if (set) for (const e of elements) set.elements.push(e);
      return c.skipStatement();
    }
    case 'rule': {
      const chain = table.chains.get(name);
      if (!chain) {
        c.report('nft-unknown-chain', 'error', verbTok, `chain ${name} does not exist in table ${key}`, c.prev);
        return c.skipStatement();
      }
      let at: { kind: string; n: number } | undefined;
      if (c.isWord('position') || c.isWord('handle') || c.isWord('index')) {
        const k = c.advance().text;
        at = { kind: k, n: Number(c.isWord() ? c.advance().text : NaN) };
      }
      if (verb === 'delete' || verb === 'destroy') {
        if (at) chain.rules = chain.rules.filter((r) => r.handle !== at.n);
        return c.skipStatement();
      }
      const rule = parseRule(c);
      const i = at?.kind === 'index' ? at.n : at ? chain.rules.findIndex((r) => r.handle === at.n) : -1;
      if (verb === 'insert') chain.rules.splice(i >= 0 ? i : 0, 0, rule);
      else if (i >= 0) chain.rules.splice(i + 1, 0, rule);
      else chain.rules.push(rule);
      return c.skipStatement();
    }
  }
  c.report('nft-unexpected', 'error', verbTok, `${verb} ${what}: not a command this reader knows`, c.prev);
  c.skipStatement();
}
