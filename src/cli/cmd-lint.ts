/** `kube-netsim lint TOPOLOGY [--json]`: every diagnostic the editor would show. */
import type { CliIO } from './io';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, oneLine } from './io';
import { parseFlags } from './flags';
import { readTopology } from './read-topology';
import { lintCluster } from '../core/lint/index';
import type { Issue } from '../core/source';

/** Runs `kube-netsim lint`; exit 1 when any diagnostic is an error, else 0; 2 for an unusable invocation. */
export function cmdLint(args: string[], io: CliIO): number {
  const { flags, positional, error } = parseFlags(args, []);
  if (error || positional.length !== 1) {
    io.stderr(`kube-netsim lint: ${error ?? 'expected exactly one TOPOLOGY file'}\nusage: kube-netsim lint TOPOLOGY [--json]\n`);
    return EXIT_USAGE;
  }
  const unknownFlag = Object.keys(flags).find((k) => k !== 'json');
  if (unknownFlag) {
    io.stderr(`kube-netsim lint: unknown option --${unknownFlag}\nusage: kube-netsim lint TOPOLOGY [--json]\n`);
    return EXIT_USAGE;
  }
  const r = readTopology(io, positional[0]);
  if ('error' in r) {
    io.stderr(`kube-netsim lint: ${r.error}\n`);
    return EXIT_USAGE;
  }
  const issues = [...r.loaded.issues, ...lintCluster(r.loaded)].sort(byPlace);
  if (flags.json) {
    io.stdout(JSON.stringify(issues.map((i) => ({
      code: i.code, severity: i.severity, file: i.file ?? positional[0], line: i.span.line, column: i.span.column,
      endLine: i.span.endLine, endColumn: i.span.endColumn, message: i.message,
    })), null, 2) + '\n');
  } else {
    for (const i of issues) io.stdout(`${i.file ?? positional[0]}:${i.span.line}:${i.span.column}: ${i.severity}: ${oneLine(i.message)} [${i.code}]\n`);
    const n = (s: string) => issues.filter((i) => i.severity === s).length;
    io.stdout(`${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} info\n`);
  }
  return issues.some((i) => i.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

function byPlace(a: Issue, b: Issue): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || a.span.line - b.span.line || a.span.column - b.span.column;
}
