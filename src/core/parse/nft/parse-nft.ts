/**
 * nftables rulesets → a summary: tables, their chains (with hook, priority and
 * policy for base chains), rules (kept as text, with their verdict and span),
 * sets and maps with their elements. Reads both spellings kube-proxy's nftables
 * mode produces or a user pastes:
 *  - `nft list ruleset` blocks: `table ip kube-proxy {` … `chain services {` … `}`;
 *  - `nft -f` commands: `add table ip kube-proxy`, `add chain ip kube-proxy services`,
 *    `add rule ip kube-proxy services ip daddr … vmap @service-ips`, `add element …`.
 * Rules are not evaluated here: the summary is what a lint, an outline or a
 * hover needs; the simulator models iptables.
 */
import { type Issue, type ParseResult, type Span, lineSpan } from '../../source';
import { forEachLine } from '../iptables/parse-iptables-save';
import { classifyPasted } from '../text/pasted';

/** One rule: its text (without `add rule FAMILY TABLE CHAIN`), its final verdict if any, where it was written. */
export interface NftRule {
  text: string;
  /** `accept`, `drop`, `reject`, `return`, `jump X`, `goto X`, `vmap @m`, `masquerade`, `dnat …`, … when the rule ends with one. */
  verdict?: string;
  span: Span;
}

/** A chain; base chains carry their hook. */
export interface NftChain {
  name: string;
  /** `type nat hook prerouting priority -100` → {type: 'nat', hook: 'prerouting', priority: '-100'}. */
  hook?: { type: string; hook: string; priority: string; device?: string };
  policy?: string;
  rules: NftRule[];
  span: Span;
}

/** A named set or map with its declared type and elements (as written). */
export interface NftSet {
  name: string;
  kind: 'set' | 'map';
  /** `ipv4_addr . inet_proto . inet_service : verdict` */
  type?: string;
  elements: { text: string; span: Span }[];
  span: Span;
}

/** One nftables table. */
export interface NftTable {
  family: string;
  name: string;
  chains: Map<string, NftChain>;
  sets: Map<string, NftSet>;
  span: Span;
}

/** Every table of the ruleset, keyed `family name` (`ip kube-proxy`). */
export interface NftRuleset {
  tables: Map<string, NftTable>;
}

const VERDICT = /(?:^|\s)((?:jump|goto)\s+\S+|vmap\s+(?:@\S+|\{.*\})|accept|drop|reject(?:\s+with\s+.*)?|return|continue|queue.*|masquerade.*|snat\s+.*|dnat\s+.*|redirect.*|notrack|counter)\s*(?:comment\s+"[^"]*")?\s*$/;

/** Parses `nft list ruleset` output or `nft -f` input into a summary. Never throws. */
export function parseNft(text: string): ParseResult<NftRuleset> {
  const issues: Issue[] = [];
  const ruleset: NftRuleset = { tables: new Map() };
  // Block form: the open table / chain / set, and elements still being read.
  let table: NftTable | undefined;
  let chain: NftChain | undefined;
  let set: NftSet | undefined;
  let depth = 0;
  let elementsOpen = false;
  let lastOpen: Span | undefined;

  const tableOf = (family: string, name: string, span: Span): NftTable => {
    const key = `${family} ${name}`;
    let t = ruleset.tables.get(key);
    if (!t) {
      t = { family, name, chains: new Map(), sets: new Map(), span };
      ruleset.tables.set(key, t);
      if (family === 'ip6') issues.push({ code: 'nft-ipv6', severity: 'warning', span, message: `table ${name} is IPv6: this simulator models IPv4 only` });
    }
    return t;
  };

  forEachLine(text, (line, lineNo, offset) => {
    const whole = lineSpan(offset, lineNo, 1, line.length);
    const trimmed = line.trim();
    if (trimmed === '') return;
    const pasted = classifyPasted(line);
    if (pasted.kind === 'prompt' || pasted.kind === 'elision') {
      issues.push({ code: `pasted-${pasted.kind}`, severity: 'info', span: whole, message: pasted.kind === 'prompt' ? `shell prompt skipped: ${pasted.prompt!.command}` : 'elided lines skipped' });
      return;
    }
    if (trimmed.startsWith('#')) return;
    const lead = line.length - line.trimStart().length;
    const stmt = lineSpan(offset, lineNo, lead + 1, trimmed.length);

    if (elementsOpen && set) {
      readElements(trimmed, set, stmt);
      if (trimmed.includes('}')) elementsOpen = false;
      return;
    }
    const cmd = /^(add|create|insert|replace|delete|destroy|flush)\s+(table|chain|rule|set|map|element)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*(.*)$/.exec(trimmed);
    if (cmd && depth === 0) {
      const [, verb, what, family, tname, name, rest] = cmd;
      if (what === 'table' && /^(ip|ip6|inet|arp|bridge|netdev)$/.test(family)) {
        if (verb !== 'delete' && verb !== 'destroy' && verb !== 'flush') tableOf(family, tname, stmt);
        else if (verb !== 'flush') ruleset.tables.delete(`${family} ${tname}`);
        return;
      }
      const t = ruleset.tables.get(`${family} ${tname}`);
      if (!t) {
        issues.push({ code: 'nft-unknown-table', severity: 'warning', span: stmt, message: `table ${family} ${tname} was not added first` });
        return;
      }
      if (name === undefined) {
        issues.push({ code: 'nft-missing-name', severity: 'error', span: stmt, message: `${verb} ${what} needs a name` });
        return;
      }
      if (what === 'chain') {
        if (verb === 'delete' || verb === 'destroy') t.chains.delete(name);
        else if (verb === 'flush') {
          const c = t.chains.get(name);
          if (c) c.rules = [];
        } else if (!t.chains.has(name)) t.chains.set(name, { name, rules: [], span: stmt, ...chainHeader(rest) });
        return;
      }
      if (what === 'set' || what === 'map') {
        if (verb === 'delete' || verb === 'destroy') t.sets.delete(name);
        else if (verb === 'flush') {
          const s = t.sets.get(name);
          if (s) s.elements = [];
        } else if (!t.sets.has(name)) t.sets.set(name, { name, kind: what, type: /type\s+([^;]+?)\s*;/.exec(rest)?.[1], elements: [], span: stmt });
        return;
      }
      if (what === 'element') {
        const s = t.sets.get(name);
        if (!s) issues.push({ code: 'nft-unknown-set', severity: 'warning', span: stmt, message: `set ${name} was not added first` });
        else if (verb === 'add' || verb === 'create' || verb === 'insert') readElements(rest, s, stmt);
        return;
      }
      // rule
      const c = t.chains.get(name);
      if (!c) {
        issues.push({ code: 'nft-unknown-chain', severity: 'warning', span: stmt, message: `chain ${name} was not added first` });
        return;
      }
      if (verb === 'add' || verb === 'insert' || verb === 'create') {
        const rule = { text: rest, span: stmt, verdict: VERDICT.exec(rest)?.[1] };
        if (verb === 'insert') c.rules.unshift(rule);
        else c.rules.push(rule);
      }
      return;
    }
    // Block form.
    const opens = /\{\s*$/.test(trimmed);
    const tableHead = /^table\s+(\S+)\s+(\S+)\s*\{$/.exec(trimmed);
    if (tableHead && depth === 0) {
      table = tableOf(tableHead[1], tableHead[2], stmt);
      depth = 1;
      lastOpen = stmt;
      return;
    }
    const inner = /^(chain|set|map)\s+(\S+)\s*\{$/.exec(trimmed);
    if (inner && depth === 1 && table) {
      depth = 2;
      lastOpen = stmt;
      if (inner[1] === 'chain') {
        chain = { name: inner[2], rules: [], span: stmt };
        table.chains.set(inner[2], chain);
      } else {
        set = { name: inner[2], kind: inner[1] as 'set' | 'map', elements: [], span: stmt };
        table.sets.set(inner[2], set);
      }
      return;
    }
    if (trimmed === '}') {
      if (depth === 0) issues.push({ code: 'nft-unbalanced-brace', severity: 'error', span: stmt, message: '"}" closes nothing' });
      else if (depth === 2) {
        chain = undefined;
        set = undefined;
        depth = 1;
      } else {
        table = undefined;
        depth = 0;
      }
      return;
    }
    if (depth === 2 && chain) {
      const head = chainHeader(trimmed);
      if (head.hook || head.policy) Object.assign(chain, head);
      else chain.rules.push({ text: trimmed, span: stmt, verdict: VERDICT.exec(trimmed)?.[1] });
      return;
    }
    if (depth === 2 && set) {
      const type = /^type\s+([^;]+?)\s*;?$/.exec(trimmed);
      if (type) set.type = type[1];
      else if (/^elements\s*=\s*\{/.test(trimmed)) {
        readElements(trimmed.replace(/^elements\s*=\s*/, ''), set, stmt);
        elementsOpen = !trimmed.includes('}');
      }
      return;
    }
    if (!opens) issues.push({ code: 'nft-unexpected-line', severity: 'warning', span: stmt, message: 'not an nftables statement this reader knows: ignored' });
  });
  if (depth > 0 && lastOpen) issues.push({ code: 'nft-unbalanced-brace', severity: 'error', span: lastOpen, message: 'block never closed' });
  return { value: ruleset, issues };
}

/** `{ type nat hook prerouting priority -100 ; policy accept ; }` or the same without braces. */
function chainHeader(s: string): Pick<NftChain, 'hook' | 'policy'> {
  const out: Pick<NftChain, 'hook' | 'policy'> = {};
  const h = /type\s+(\S+)\s+hook\s+(\S+)(?:\s+device\s+"?([^"\s;]+)"?)?\s+priority\s+([^;\s}]+)/.exec(s);
  if (h) out.hook = { type: h[1], hook: h[2], priority: h[4], ...(h[3] ? { device: h[3] } : {}) };
  const p = /policy\s+(\w+)/.exec(s);
  if (p) out.policy = p[1];
  return out;
}

/** Elements of `{ a, b . c : verdict, … }` (or the part of it on this line) added to the set. */
function readElements(s: string, set: NftSet, span: Span): void {
  const body = s.replace(/^\s*\{/, '').replace(/\}\s*$/, '');
  for (const part of body.split(',')) {
    const e = part.trim().replace(/^\{\s*|\s*\}$/g, '');
    if (e) set.elements.push({ text: e, span });
  }
}
