/**
 * `iptables [-t TABLE] -L [-n] [-v] [-x] [--line-numbers]` listings → Ruleset.
 *
 * A listing is read into the same model as the equivalent iptables-save dump:
 * `tcp dpt:53` becomes `-m tcp --dport 53`, `0.0.0.0/0` becomes "no `-s`", a host
 * `10.244.0.2` becomes `10.244.0.2/32`, `MARK or 0x4000` becomes
 * `--set-xmark 0x4000/0x4000`. What a listing cannot show is recorded as unknown
 * (interfaces without `-v`) or reported (resolved host names without `-n`).
 *
 * Listings are usually pasted from a terminal: prompt lines name the table
 * (`# iptables -t nat -L -n -v`) or the chain (`$ ipt KUBE-SERVICES | grep …`),
 * `...` lines mark cuts; both are reported as info and used where they help.
 */
import { type Issue, type ParseResult, type Span, lineSpan } from '../../source';
import type { Chain, Negatable, Rule, Ruleset, Table, UnknownField } from '../../model/netfilter';
import { canonicalProtocol } from './iptables-modules';
import { parseListExtension } from './iptables-list-ext';
import { type ListLayout, type ListRow, type RowWord, listCount, rowCounters, splitListRow } from './iptables-list-row';
import { checkTargets } from './parse-iptables-save';
import { forEachLine } from '../text/lines';
import { classifyPasted, isProseComment } from '../text/pasted';

const CHAIN_HEADER = /^Chain\s+(\S+)(?:\s+\((.*)\))?\s*$/;
const POLICY = /^policy\s+(\S+)(?:\s+(\d+[KMGTP]?)\s+packets,\s+(\d+[KMGTP]?)\s+bytes)?$/;
const REFERENCES = /^(\d+)\s+references?$/;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:\/\d{1,2})?$/;
/** A line that looks like a prompt (`$ ipt X`, `/ # iptables …`, `root@h:/# …`) even when pasted.ts does not know its command. */
const LOOSE_PROMPT = /^\s*(?:[\w.@:~/-]+\s)?[\w.@:~/-]*[#$%](?:\s+(\S.*))?$/;
const BARE_COMMAND = /^\s*(?:sudo\s+)?(?:ip6?tables(?:-legacy|-nft)?)\s/;

/** What the latest prompt line said about the text that follows. */
interface PromptContext {
  table?: string;
  chain?: string;
  excerpt: boolean;
}

/** Parses a listing; `table` names the table (a listing does not say; default `filter`). Never throws. */
export function parseIptablesList(text: string, opts: { table?: string } = {}): ParseResult<Ruleset> {
  const issues: Issue[] = [];
  const ruleset: Ruleset = { tables: new Map(), format: 'iptables-list' };
  let tableName = opts.table ?? 'filter';
  let chain: Chain | undefined;
  const bare: { chain: Chain; span: Span }[] = [];
  let layout: ListLayout = {};
  let prompt: PromptContext | undefined;
  /** Rows already in a chain listed a second time (same rows repeated are not added twice). */
  let seen: Set<string> | undefined;

  const tableFor = (span: Span): Table => {
    let t = ruleset.tables.get(tableName);
    if (!t) {
      t = { name: tableName, chains: new Map(), span };
      ruleset.tables.set(tableName, t);
    }
    return t;
  };
  const openChain = (name: string, span: Span): Chain => {
    const t = tableFor(span);
    let c = t.chains.get(name);
    if (c) {
      seen = new Set(c.rules.map((r) => collapse(r.raw)));
      if (c.rules.length) issues.push({ code: 'iptables-list-chain-repeated', severity: 'info', span, message: `chain ${name} listed again: rows already read are not added twice` });
    } else {
      c = { name, rules: [], span };
      t.chains.set(name, c);
      seen = undefined;
    }
    return c;
  };

  forEachLine(text, (line, lineNo, offset) => {
    const whole = lineSpan(offset, lineNo, 1, line.length);
    const trimmed = line.trim();
    if (trimmed === '') return;
    const header = CHAIN_HEADER.exec(trimmed);
    if (header) {
      chain = openChain(header[1], whole);
      layout = {};
      readChainParens(chain, header[2], whole, issues);
      if (header[2] === undefined) bare.push({ chain, span: whole });
      return;
    }
    const words = trimmed.split(/\s+/);
    if (words.includes('target') && words.includes('source') && words.includes('destination')) {
      layout = { lineNumbers: words[0] === 'num', verbose: words.includes('pkts') || words.includes('in') };
      return;
    }
    const row = splitListRow(line, layout);
    if (row) {
      if (!chain && prompt?.chain) chain = openChain(prompt.chain, whole);
      if (!chain) {
        issues.push({ code: 'iptables-list-row-without-chain', severity: 'warning', span: whole, message: 'rule row before any "Chain" header: its chain is unknown, row ignored' });
        return;
      }
      if (seen?.has(collapse(line))) return;
      const rule = readRow(line, lineNo, offset, row, chain.rules.length + 1, issues);
      chain.rules.push(rule);
      return;
    }
    const kind = classifyPasted(line);
    // `# a sentence about the dump` is a comment: skipped, and the chain being read goes on.
    if (kind.kind === 'content' && trimmed.startsWith('#') && isProseComment(trimmed.slice(1))) return;
    const lp = kind.kind === 'content' ? LOOSE_PROMPT.exec(line) : null;
    const loose = lp ? (lp[1] ?? '') : kind.kind === 'content' && BARE_COMMAND.test(line) ? trimmed : undefined;
    if (kind.kind === 'prompt' || loose !== undefined) {
      const command = kind.prompt?.command ?? loose!;
      issues.push({ code: 'pasted-prompt', severity: 'info', span: whole, message: `shell prompt skipped: ${command}` });
      prompt = readPrompt(command);
      if (prompt.table) tableName = prompt.table;
      chain = undefined;
      seen = undefined;
      layout = {};
      if (prompt.excerpt) {
        issues.push({ code: 'iptables-list-excerpt', severity: 'info', span: whole, message: 'output filtered (grep): the chain may hold more rules than shown' });
      }
      return;
    }
    if (kind.kind === 'elision' || /^<\.\.\.>$/.test(trimmed)) {
      issues.push({ code: 'pasted-elision', severity: 'info', span: whole, message: 'elided lines skipped: what they held is unknown' });
      return;
    }
    issues.push({ code: 'iptables-list-unexpected-line', severity: 'warning', span: whole, message: 'not a line of an iptables -L listing: ignored' });
  });
  // iptables always prints `(policy …)` or `(N references)`: a bare header that no row
  // follows is most likely a line cut short (a write-up's heading has rows after it).
  for (const b of bare) {
    if (b.chain.rules.length === 0) issues.push({ code: 'iptables-list-header-incomplete', severity: 'warning', span: b.span, message: `"Chain ${b.chain.name}" has no (policy …) or (N references) and no rows: the line may be cut short` });
  }
  checkTargets(ruleset, issues, true);
  return { value: ruleset, issues };
}

/** `policy ACCEPT 12 packets, 3456 bytes` / `2 references` inside a chain header. */
function readChainParens(c: Chain, parens: string | undefined, span: Span, issues: Issue[]): void {
  if (parens === undefined) return;
  const p = POLICY.exec(parens.trim());
  if (p) {
    c.policy = p[1];
    if (p[2] !== undefined) c.counters = { packets: listCount(p[2]), bytes: listCount(p[3]) };
    return;
  }
  const r = REFERENCES.exec(parens.trim());
  if (r) {
    c.references = Number(r[1]);
    return;
  }
  issues.push({ code: 'iptables-list-bad-chain-header', severity: 'warning', span, message: `chain header "(${parens})" not understood` });
}

/** The table, chain and filtering a prompt's command implies. */
function readPrompt(command: string): PromptContext {
  const [cmd, ...pipes] = command.split('|');
  const words = cmd.trim().split(/\s+/);
  const isIptables = /^(?:sudo\s+)?ip6?tables/.test(cmd.trim());
  const ctx: PromptContext = { excerpt: pipes.some((p) => /\b(?:grep|head|tail|sed|awk)\b/.test(p)) };
  const t = words.findIndex((w) => w === '-t' || w === '--table');
  if (t >= 0 && words[t + 1]) ctx.table = words[t + 1];
  else if (isIptables) ctx.table = 'filter';
  // The chain is the word after the -L flag cluster, or, for a shell alias (`ipt KUBE-SERVICES`), its last argument.
  const l = words.findIndex((w) => /^-[a-zA-Z]*L[a-zA-Z]*$/.test(w) || w === '--list');
  const candidate = l >= 0 ? words[l + 1] : !isIptables && words.length > 1 ? words[words.length - 1] : undefined;
  if (candidate && /^[A-Za-z][\w.-]*$/.test(candidate) && !candidate.startsWith('-')) ctx.chain = candidate;
  return ctx;
}

/** Builds a Rule from a row: columns plus the extension text. */
function readRow(line: string, lineNo: number, offset: number, row: ListRow, index: number, issues: Issue[]): Rule {
  const span = (w: RowWord) => lineSpan(offset, lineNo, w.start + 1, w.end - w.start);
  const rule: Rule = { index, matches: [], raw: line, span: lineSpan(offset, lineNo, 1, line.length) };
  const counters = rowCounters(row);
  if (counters) rule.counters = counters;
  const prot = negatable(row.prot.text);
  const protocol = canonicalProtocol(prot.value);
  if (protocol !== 'all' || prot.negated) rule.protocol = { negated: prot.negated, value: protocol };
  if (row.opt.text !== '--') rule.fragment = { negated: row.opt.text === '!f', value: true };
  if (row.verbose) {
    const i = iface(row.in!.text);
    if (i) rule.inInterface = i;
    const o = iface(row.out!.text);
    if (o) rule.outInterface = o;
  } else {
    const unknown: UnknownField[] = ['inInterface', 'outInterface'];
    rule.unknown = unknown;
  }
  const s = address(row.source, span, issues);
  if (s) rule.source = s;
  const d = address(row.destination, span, issues);
  if (d) rule.destination = d;
  const targetName = row.target?.text;
  const ext = parseListExtension(line, row.extStart, { offset, line: lineNo, target: targetName }, issues);
  rule.matches = ext.matches;
  if (row.target) rule.target = { name: row.target.text, options: ext.targetOptions, goto: false, span: span(row.target) };
  return rule;
}

function negatable(v: string): Negatable<string> {
  return v.startsWith('!') ? { negated: true, value: v.slice(1) } : { negated: false, value: v };
}

/** `*` (any) → absent; `!docker0` → negated. */
function iface(v: string): Negatable<string> | undefined {
  if (v === '*') return undefined;
  return negatable(v);
}

/**
 * Source/destination column → the `-s`/`-d` value iptables-save would print:
 * `0.0.0.0/0` and `anywhere` are no match at all, a host gets `/32`. A resolved
 * name (`k8s-cp/24` without `-n`) is kept as written with an info issue.
 */
function address(w: RowWord, span: (w: RowWord) => Span, issues: Issue[]): Negatable<string> | undefined {
  const { negated, value } = negatable(w.text);
  if (!negated && (value === '0.0.0.0/0' || value === 'anywhere')) return undefined;
  if (value === 'anywhere') return { negated, value: '0.0.0.0/0' };
  if (IPV4.test(value)) return { negated, value: value.includes('/') ? value : `${value}/32` };
  if (value.includes(':')) {
    issues.push({ code: 'iptables-ipv6', severity: 'warning', span: span(w), message: `IPv6 address ${value}: this simulator models IPv4 only` });
  } else {
    issues.push({ code: 'iptables-list-resolved-name', severity: 'info', span: span(w), message: `"${value}" is a resolved host name (listing without -n): kept as written; its address is unknown` });
  }
  return { negated, value };
}

/** A row's text with runs of blanks collapsed, to spot the same row listed twice. */
function collapse(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}
