/**
 * Lint findings are ordinary Issues placed where the fix goes. Model elements
 * carry Origins (file + line/column) rather than offsets, so this turns an
 * Origin into the file and span of an Issue.
 */
import type { Issue, Origin, Severity, Span } from '../source';

/** Every lint code with its default severity; the README documents each one. */
export const LINT_CODES = {
  'unreachable-pod-cidr': 'error',
  'blackholed-route': 'warning',
  'route-loop': 'error',
  'next-hop-not-on-link': 'error',
  'next-hop-unknown': 'warning',
  'asymmetric-route': 'warning',
  'service-unreachable-endpoint': 'warning',
  'overlapping-cidr': 'error',
  'pod-outside-pod-cidr': 'error',
  'duplicate-ip': 'error',
  'clusterip-outside-service-cidr': 'warning',
  'selector-matches-nothing': 'warning',
  'node-not-on-router-network': 'warning',
  'dump-disagrees-with-topology': 'warning',
  'undefined-chain': 'error',
  'unused-chain': 'info',
  'empty-chain-jump': 'info',
  'shadowed-rule': 'warning',
  'probability-cascade': 'warning',
  'service-without-endpoints': 'warning',
  'jump-cycle': 'error',
  'undefined-set': 'error',
  'numgen-modulus-mismatch': 'warning',
  'dns-search-amplification': 'info',
  'policy-selects-nothing': 'warning',
  'policy-peer-matches-nothing': 'warning',
  'policy-named-port-undeclared': 'warning',
  'policy-blocks-dns': 'warning',
  'policy-egress-denies-allowed-ingress': 'info',
} as const satisfies Record<string, Severity>;

/** A lint code. */
export type LintCode = keyof typeof LINT_CODES;

/** The span an Origin points at (offsets are unknown for origins: 0). */
export function spanOfOrigin(o: Origin): Span {
  const endLine = o.endLine ?? o.line;
  const endColumn = o.endColumn ?? (endLine === o.line ? o.column + Math.max(1, o.text.length) : o.column);
  return { start: 0, end: 0, line: o.line, column: o.column, endLine, endColumn };
}

/** A lint issue at an origin, with optional related places. */
export function lintIssue(code: LintCode, at: Origin | undefined, fallbackFile: string, message: string, related: { message: string; origin?: Origin }[] = []): Issue {
  const span: Span = at ? spanOfOrigin(at) : { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const issue: Issue = { code, severity: LINT_CODES[code], message, span, file: at?.file || fallbackFile };
  const rel = related.filter((r) => r.origin).map((r) => ({ message: r.message, file: r.origin!.file || fallbackFile, span: spanOfOrigin(r.origin!) }));
  if (rel.length) issue.related = rel;
  return issue;
}
