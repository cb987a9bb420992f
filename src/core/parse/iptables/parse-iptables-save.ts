/**
 * `iptables-save` output and `iptables-restore` input → Ruleset.
 *
 * Line oriented: `*table`, `:CHAIN POLICY [p:b]`, commands (`-A`, `-I`, `-N`,
 * `-X`, …, optionally prefixed by `[p:b]` counters), `COMMIT`, `#` comments. A
 * kube-proxy dump of 10k services is ~400k lines, so the loop walks the text with
 * `indexOf` and reuses one token buffer; a span is made for each rule only:
 * match and target spans are computed from the rule's raw line when asked for
 * (`ruleMatchSpans`, `targetSpan`). Options, option lists and option-less jumps
 * that rules share are one frozen object each: treat the model as read-only.
 */
import { type Issue, type ParseResult, type Span, lineSpan } from '../../source';
import { forEachLine } from '../text/lines';
import type { Counters, Ruleset, Table } from '../../model/netfilter';
import { RulesetBuilder, isBuiltin, isChainName } from './iptables-commands';
import { resetRuleSpecCaches, targetSpan } from './iptables-shared';
import { isKnownTarget } from './iptables-modules';
import { type ArgTokens, newArgTokens, tokenizeArgs } from './iptables-tokenize';
import { classifyPasted } from '../text/pasted';

const KNOWN_TABLES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);

/** Parses iptables-save / iptables-restore text. Never throws. */
export function parseIptablesSave(text: string): ParseResult<Ruleset> {
  const issues: Issue[] = [];
  resetRuleSpecCaches();
  const b = new RulesetBuilder('iptables-save', issues);
  const t = newArgTokens();
  let table: Table | undefined;
  let tableOpenedAt: Issue['span'] | undefined;
  let sawSaveHeader = false;

  const eachLine = (line: string, lineNo: number, offset: number): void => {
    const first = line.charCodeAt(0);
    if (first === 45 /* - */ || first === 91 /* [ */) {
      tokenizeArgs(line, 0, t);
      if (t.unclosedQuote >= 0) {
        issues.push({ code: 'iptables-unbalanced-quote', severity: 'error', span: lineSpan(offset, lineNo, t.unclosedQuote + 1, line.length - t.unclosedQuote), message: 'quote never closed' });
      }
      let from = 0;
      let counters: Counters | undefined;
      if (first === 91) {
        counters = readBracketCounters(t.text[0]);
        if (!counters) issues.push({ code: 'iptables-bad-counters', severity: 'error', span: tokenSpan(t, 0, offset, lineNo), message: 'counters must read [packets:bytes]' });
        from = 1;
        if (from >= t.count) return;
      }
      if (!table) {
        issues.push({ code: 'iptables-outside-table', severity: 'error', span: tokenSpan(t, from, offset, lineNo), message: 'command before any *table line: ignored' });
        return;
      }
      b.apply(table, line, t, from, { offset, line: lineNo }, lineSpan(offset, lineNo, 1, line.length), counters);
      return;
    }
    lineOther(line, lineNo, offset, first);
  };

  const lineOther = (line: string, lineNo: number, offset: number, first: number): void => {
    const whole = (): Span => lineSpan(offset, lineNo, 1, line.length);
    const tok = (k: number): Span => tokenSpan(t, k, offset, lineNo);
    if (first === 58 /* : */) {
      tokenizeArgs(line, 1, t);
      if (!table) {
        issues.push({ code: 'iptables-outside-table', severity: 'error', span: whole(), message: 'chain declared before any *table line: ignored' });
        return;
      }
      if (t.count === 0 || t.start[0] !== 1) {
        issues.push({ code: 'iptables-bad-chain-declaration', severity: 'error', span: whole(), message: 'a chain declaration reads :NAME POLICY [packets:bytes]' });
        return;
      }
      const name = t.text[0];
      if (!isChainName(name, t.quoted[0])) {
        issues.push({ code: 'iptables-bad-chain-name', severity: 'error', span: tok(0), message: `"${name}" cannot be a chain name` });
        return;
      }
      if (table.chains.has(name)) {
        issues.push({ code: 'iptables-duplicate-chain', severity: 'warning', span: tok(0), message: `chain ${name} declared twice` });
      }
      const k = t.count > 2 ? readBracketCounters(t.text[2]) : undefined;
      const c = b.declare(table, name, whole(), k);
      const policy = t.count > 1 ? t.text[1] : '-';
      if (policy !== '-') c.policy = policy;
      else if (isBuiltin(table.name, name)) {
        // iptables-restore reads `-` as "leave the policy as it is"; what it is, the dump does not say.
        issues.push({ code: 'iptables-builtin-without-policy', severity: 'info', span: tok(Math.min(1, t.count - 1)), message: `built-in chain ${name} declared without a policy: the kernel default ACCEPT is assumed` });
      }
      if (t.count > 2) {
        if (k) c.counters = k;
        else issues.push({ code: 'iptables-bad-counters', severity: 'error', span: tok(2), message: 'counters must read [packets:bytes]' });
      }
      return;
    }
    if (first === 42 /* * */) {
      const name = line.slice(1).trim();
      if (table) {
        issues.push({ code: 'iptables-missing-commit', severity: 'error', span: tableOpenedAt!, message: `table ${table.name} has no COMMIT before the next table` });
      }
      if (!KNOWN_TABLES.has(name)) {
        issues.push({ code: 'iptables-unknown-table', severity: 'warning', span: whole(), message: `unknown table "${name}"` });
      }
      tableOpenedAt = whole();
      table = b.table(name, tableOpenedAt);
      return;
    }
    const trimmed = first === 32 || first === 9 ? line.trim() : line;
    if (trimmed === 'COMMIT') {
      if (!table) issues.push({ code: 'iptables-outside-table', severity: 'error', span: whole(), message: 'COMMIT without a *table line' });
      table = undefined;
      return;
    }
    if (trimmed === '') return;
    if (trimmed.startsWith('# Generated by iptables-save') || trimmed.startsWith('# Generated by ip6tables-save')) sawSaveHeader = true;
    const kind = classifyPasted(line);
    if (kind.kind === 'prompt') {
      issues.push({ code: 'pasted-prompt', severity: 'info', span: whole(), message: `shell prompt skipped: ${kind.prompt!.command}` });
      return;
    }
    if (kind.kind === 'elision') {
      issues.push({ code: 'pasted-elision', severity: 'info', span: whole(), message: 'elided lines ("...") skipped: what they held is unknown' });
      return;
    }
    if (trimmed.charCodeAt(0) === 35 /* # */) return;
    issues.push({ code: 'iptables-unexpected-line', severity: 'error', span: whole(), message: 'not an iptables-save line: ignored' });
  };

  forEachLine(text, eachLine);

  if (table) {
    issues.push({ code: 'iptables-missing-commit', severity: 'error', span: tableOpenedAt!, message: `table ${table.name} has no COMMIT` });
  }
  const restore = b.sawRestoreCommand && !sawSaveHeader;
  b.ruleset.format = restore ? 'iptables-restore' : 'iptables-save';
  b.finish(restore ? 'warning' : 'error');
  checkTargets(b.ruleset, issues, restore);
  // The caches only speed up one parse; dropping them lets the garbage collector reclaim their keys.
  resetRuleSpecCaches();
  return { value: b.ruleset, issues };
}

/**
 * Reports targets that are neither a known extension nor a chain of the table.
 * In restore input a jump to an undeclared chain is normal (kube-proxy's partial
 * restores jump to chains that already exist in the kernel), so it is only info there.
 */
export function checkTargets(r: Ruleset, issues: Issue[], restore: boolean): void {
  for (const table of r.tables.values()) {
    for (const c of table.chains.values()) {
      for (const rule of c.rules) {
        const tg = rule.target;
        if (!tg || table.chains.has(tg.name) || isKnownTarget(tg.name)) continue;
        if (restore) r.partial = true;
        issues.push({
          code: 'iptables-unknown-target',
          severity: restore && tg.options.length === 0 ? 'info' : 'warning',
          span: tg.span ?? targetSpan(rule),
          message: tg.options.length ? `unknown target ${tg.name}: kept, not evaluated` : `jump to ${tg.name}, which is neither a target nor a chain of table ${table.name}`,
        });
      }
    }
  }
}

function tokenSpan(t: ArgTokens, k: number, offset: number, lineNo: number): Span {
  return lineSpan(offset, lineNo, t.start[k] + 1, t.end[k] - t.start[k]);
}

/** `[0:0]`, shared by the 100k chain declarations of a big dump (frozen: the model is read-only). */
const ZERO_COUNTERS: Counters = Object.freeze({ packets: 0, bytes: 0 });

/** `[12:3456]` → counters; undefined when malformed. */
export function readBracketCounters(s: string | undefined): Counters | undefined {
  if (!s || s.charCodeAt(0) !== 91 || s.charCodeAt(s.length - 1) !== 93) return undefined;
  const colon = s.indexOf(':');
  if (colon < 0) return undefined;
  const p = s.slice(1, colon);
  const by = s.slice(colon + 1, s.length - 1);
  if (p === '0' && by === '0') return ZERO_COUNTERS;
  if (!/^\d+$/.test(p) || !/^\d+$/.test(by)) return undefined;
  return { packets: Number(p), bytes: Number(by) };
}
