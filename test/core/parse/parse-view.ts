/** Helpers shared by the parser tests: compact views of issues and routes, so tables stay readable. */
import type { Issue } from '../../../src/core/source';
import { formatIPv4, formatPrefix } from '../../../src/core/net/ipv4';
import type { Route } from '../../../src/core/model/routes';

/** `code@line:column-endColumn` for an issue on one line, `code@line:column-endLine:endColumn` otherwise. */
export function where(i: Issue): string {
  const s = i.span;
  return s.endLine === s.line ? `${i.code}@${s.line}:${s.column}-${s.endColumn}` : `${i.code}@${s.line}:${s.column}-${s.endLine}:${s.endColumn}`;
}

/** Issue codes with places in text order, without the info notes about pasted prompts (asserted separately). */
export function places(issues: Issue[]): string[] {
  return issues.filter((i) => i.code !== 'pasted-prompt').sort((a, b) => a.span.start - b.span.start).map(where);
}

/** A route as one line: `type dst [via A] [dev D] [metric N] [table T]`, multipath hops joined by `|`. */
export function routeLine(r: Route): string {
  const hops = r.nexthops.map((h) => [h.via !== undefined ? `via ${formatIPv4(h.via)}` : '', h.dev ? `dev ${h.dev}` : '', h.onlink ? 'onlink' : '', h.weight !== undefined ? `weight ${h.weight}` : ''].filter(Boolean).join(' ')).join(' | ');
  return [r.type, formatPrefix(r.dst), hops, r.src !== undefined ? `src ${formatIPv4(r.src)}` : '', r.metric ? `metric ${r.metric}` : '', r.table !== 'main' ? `table ${r.table}` : '', r.cloudNextHopType ? `cloud ${r.cloudNextHopType}` : '', r.name ? `name ${r.name}` : '']
    .filter(Boolean).join(' ');
}

/** Joins lines with `\n` (test inputs are written as arrays so every column is visible). */
export function text(...lines: string[]): string {
  return lines.join('\n');
}
