/**
 * The outline of a dump: tables holding chains holding rules for iptables, one
 * entry per route for route tables. Plain data with 0-based ranges; the editor
 * layer turns it into DocumentSymbols for the outline and breadcrumbs.
 */
import type { ChainIndex } from './chain-index';
import type { Route } from '../../core/model/routes';
import { formatPrefix, formatIPv4 } from '../../core/net/ipv4';

/** A 0-based range spanning lines. */
export interface LineSpanRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/** One outline entry. */
export interface OutlineNode {
  name: string;
  detail: string;
  kind: 'table' | 'chain' | 'rule' | 'route';
  range: LineSpanRange;
  selection: LineSpanRange;
  children: OutlineNode[];
}

function hull(a: LineSpanRange, b: LineSpanRange): LineSpanRange {
  const first = a.startLine < b.startLine || (a.startLine === b.startLine && a.startCharacter <= b.startCharacter) ? a : b;
  const last = a.endLine > b.endLine || (a.endLine === b.endLine && a.endCharacter >= b.endCharacter) ? a : b;
  return { startLine: first.startLine, startCharacter: first.startCharacter, endLine: last.endLine, endCharacter: last.endCharacter };
}

/**
 * A rule line without its packet and byte counters: `[12:720] -A …` and `-c 12 720`
 * in iptables-save, the leading `num pkts bytes` columns of `iptables -L -v`
 * (counts may carry K/M/G suffixes). They change on every dump and say nothing about the rule.
 */
export function withoutCounters(text: string): string {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('-')) return t.replace(/^\[\d+:\d+\]\s*/, '').replace(/\s-c\s+\d+\s+\d+(?=\s|$)/, '');
  return t.replace(/^(\d+[KMGT]?\s+)+/, '');
}

/** Tables → chains → rules, in text order. A chain's range covers its declaration and its rules. */
export function chainOutline(index: ChainIndex): OutlineNode[] {
  const tables = new Map<string, OutlineNode[]>();
  for (const c of index.chains.values()) {
    const rules: OutlineNode[] = c.rules.map((r, i) => {
      const range = { startLine: r.line, startCharacter: 0, endLine: r.line, endCharacter: r.length };
      return { name: `${i + 1}: ${withoutCounters(r.text).slice(0, 80)}`, detail: '', kind: 'rule', range, selection: range, children: [] };
    });
    const anchor = c.declaration ?? (c.rules[0] ? { line: c.rules[0].line, start: 0, end: c.rules[0].length } : undefined);
    if (!anchor) continue;
    const selection = { startLine: anchor.line, startCharacter: anchor.start, endLine: anchor.line, endCharacter: anchor.end };
    let range = { ...selection, startCharacter: 0 };
    for (const r of rules) range = hull(range, r.range);
    const detail = `${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}${c.policy ? `, policy ${c.policy}` : ''}`;
    const node: OutlineNode = { name: c.name, detail, kind: 'chain', range, selection, children: rules };
    const key = c.table ?? '';
    if (!tables.has(key)) tables.set(key, []);
    tables.get(key)!.push(node);
  }
  const out: OutlineNode[] = [];
  for (const [table, chains] of tables) {
    chains.sort((a, b) => a.selection.startLine - b.selection.startLine);
    if (!table || tables.size === 1 && index.style === 'list') { out.push(...chains); continue; }
    let range = chains[0].range;
    for (const c of chains) range = hull(range, c.range);
    out.push({ name: table, detail: `${chains.length} chains`, kind: 'table', range, selection: chains[0].selection, children: chains });
  }
  return out.sort((a, b) => a.range.startLine - b.range.startLine);
}

/** One entry per route: "10.244.1.0/24 via 10.240.0.5 dev eth0", at the route's line. */
export function routeOutline(routes: readonly Route[]): OutlineNode[] {
  return routes.map((r) => {
    const dst = r.dst.len === 0 ? 'default' : formatPrefix(r.dst);
    const hops = r.nexthops.map((h) => [h.via !== undefined ? `via ${formatIPv4(h.via)}` : '', h.dev ? `dev ${h.dev}` : ''].filter(Boolean).join(' ')).join(', ');
    const name = r.type === 'unicast' ? dst : `${r.type} ${dst}`;
    const range = { startLine: r.span.line - 1, startCharacter: r.span.column - 1, endLine: r.span.endLine - 1, endCharacter: r.span.endColumn - 1 };
    return { name, detail: [hops, r.table !== 'main' ? `table ${r.table}` : '', r.metric ? `metric ${r.metric}` : ''].filter(Boolean).join(' '), kind: 'route' as const, range, selection: range, children: [] };
  });
}
