/**
 * `kube-netsim parse FILE [--format auto|…] [--json]`: parse one file on its own
 * (pasted command output, or a topology) and print what was understood and every
 * issue. Exit 0: no error-level issue; 1: error-level issues; 2: unusable
 * invocation (missing file, unknown or undetectable format).
 */
import { resolve } from 'node:path';
import type { CliIO } from './io';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, oneLine } from './io';
import { parseFlags } from './flags';
import { topologyReader } from './read-topology';
import { FORMAT_NAMES, type FormatName } from '../core/parse/text/detect';
import { parseAs } from '../core/parse/parse-any';
import type { Issue } from '../core/source';

const USAGE = `usage: kube-netsim parse FILE [--format auto|${FORMAT_NAMES.join('|')}] [--json]\n`;

/** One summary value as a person reads it: counts, lists, `key=value` pairs. */
function show(v: unknown): string {
  if (Array.isArray(v)) {
    return v.map((x) => (x && typeof x === 'object' ? Object.values(x as Record<string, unknown>).map(String).join(' ') : String(x))).join(', ') || '(none)';
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? entries.map(([k, x]) => (x && typeof x === 'object' && !Array.isArray(x) ? `${k} (${show(x)})` : `${k}=${show(x)}`)).join(', ') : '(none)';
  }
  return String(v);
}

function byPlace(a: Issue, b: Issue): number {
  return a.span.line - b.span.line || a.span.column - b.span.column;
}

/** Runs `kube-netsim parse`. Never throws: a failure inside is reported with exit 2. */
export function cmdParse(args: string[], io: CliIO): number {
  try {
    return run(args, io);
  } catch (e) {
    io.stderr(`kube-netsim parse: internal error (a bug, please report it): ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
}

function run(args: string[], io: CliIO): number {
  const { flags, positional, error } = parseFlags(args, ['format']);
  if (error || positional.length !== 1) {
    io.stderr(`kube-netsim parse: ${error ?? 'expected exactly one FILE'}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const unknownFlag = Object.keys(flags).find((k) => k !== 'format' && k !== 'json');
  if (unknownFlag) {
    io.stderr(`kube-netsim parse: unknown option --${unknownFlag}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const format = typeof flags.format === 'string' ? flags.format : 'auto';
  if (format !== 'auto' && !(FORMAT_NAMES as readonly string[]).includes(format)) {
    io.stderr(`kube-netsim parse: unknown format '${format}'\n${USAGE}`);
    return EXIT_USAGE;
  }
  const path = positional[0];
  const file = io.readFile(resolve(io.cwd, path));
  if ('error' in file) {
    io.stderr(`kube-netsim parse: ${path}: ${file.error}\n`);
    return EXIT_USAGE;
  }
  const r = parseAs(format as FormatName | 'auto', file.text, { file: path, reader: topologyReader(io, path) });
  if (r.format === 'unknown') {
    io.stderr(`${path}:1:1: error: could not tell which command printed this file: give --format\n${USAGE}`);
    return EXIT_USAGE;
  }
  const issues = [...r.issues].sort(byPlace);
  if (flags.json) {
    io.stdout(JSON.stringify({
      format: r.format, summary: r.summary,
      issues: issues.map((i) => ({ code: i.code, severity: i.severity, file: i.file ?? path, line: i.span.line, column: i.span.column, message: i.message })),
    }, null, 2) + '\n');
  } else {
    io.stdout(`${path}: ${r.format}\n`);
    for (const [k, v] of Object.entries(r.summary)) io.stdout(`  ${k}: ${show(v)}\n`);
    for (const i of issues) io.stdout(`${i.file ?? path}:${i.span.line}:${i.span.column}: ${i.severity}: ${oneLine(i.message)} [${i.code}]\n`);
    const n = (s: string) => issues.filter((i) => i.severity === s).length;
    io.stdout(`${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} info\n`);
  }
  return issues.some((i) => i.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}
