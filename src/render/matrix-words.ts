/**
 * The connectivity matrix in words and as the CLI's JSON: `SRC => DST : TCP
 * 8080,UDP 53` lines (or `All Connections`), then what was skipped and why;
 * the JSON of docs/cli.md "matrix".
 */
import type { Issue } from '../core/source';
import type { Matrix } from '../core/policy/matrix';
import { type PortSet, PROTOCOLS, isAll } from '../core/policy/port-set';

/** `TCP 8080,TCP 9000-9010,UDP 53`, or `All Connections`. */
export function portsText(s: PortSet): string {
  if (isAll(s)) return 'All Connections';
  return PROTOCOLS.flatMap((p) => s[p].map(([a, b]) => (a === 1 && b === 65535 ? `${p} all ports` : a === b ? `${p} ${a}` : `${p} ${a}-${b}`))).join(',');
}

/** The text output: one line per allowed pair, then the skipped endpoints, assumptions and issues. */
export function matrixText(m: Matrix, issues: Issue[]): string {
  const lines = m.connections.map((c) => `${c.src} => ${c.dst} : ${portsText(c.allowed)}`);
  if (lines.length === 0) lines.push(`(no pair of the ${m.endpoints.length} endpoints may talk)`);
  const skipped = [
    ...m.skipped.map((s) => `  ${s.what}: ${s.why}`),
    ...m.assumedNamespaces.map((n) => `  namespace ${n}: no Namespace object in the input; only its label kubernetes.io/metadata.name=${n} is known to namespaceSelectors`),
    ...issues.filter((i) => i.severity !== 'info').map((i) => `  ${i.file ?? ''}:${i.span.line}:${i.span.column}: ${i.severity}: ${i.message} [${i.code}]`),
  ];
  const infos = issues.filter((i) => i.severity === 'info');
  const kinds = new Map<string, number>();
  for (const i of infos) kinds.set(i.code, (kinds.get(i.code) ?? 0) + 1);
  for (const [code, n] of kinds) skipped.push(`  ${n} × ${code} (see --json for each)`);
  return `${lines.join('\n')}\n${skipped.length ? `skipped:\n${skipped.join('\n')}\n` : ''}`;
}

/** The JSON output (version 1). */
export function matrixJson(m: Matrix, issues: Issue[]): unknown {
  return {
    version: 1,
    endpoints: m.endpoints.map((e) => ({ id: e.id, namespace: e.namespace, name: e.name, kind: e.kind, pods: e.members.filter((x) => x.kind === 'Pod').map((x) => x.id) })),
    connections: m.connections.map((c) => ({ src: c.src, dst: c.dst, allowed: c.allowed, policies: c.policies })),
    skipped: [...m.skipped, ...m.assumedNamespaces.map((n) => ({ what: `namespace ${n}`, why: 'no Namespace object: only kubernetes.io/metadata.name is known' }))],
    issues: issues.map((i) => ({ code: i.code, severity: i.severity, file: i.file ?? '', line: i.span.line, column: i.span.column, message: i.message })),
  };
}
