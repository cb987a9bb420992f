/**
 * What the readers of Kubernetes objects share: the file, its line index, the
 * offsets of every value, and the issues found so far; plus typed getters over
 * plain values that report a wrong type at the value instead of guessing.
 */
import { type Issue, type Severity, type Span, LineCounter } from '../../source';
import type { KubeOrigin, KubeProtocol } from '../../model/kubernetes';
import { type Locations, type Plain, type PlainMap, type Range, isPlainMap } from './located';

/** Reading state for one file. */
export interface KubeReadContext {
  file: string;
  text: string;
  lines: LineCounter;
  locs: Locations;
  issues: Issue[];
}

/** A context for reading `text` (the whole file) named `file`. */
export function kubeReadContext(text: string, file: string, locs: Locations): KubeReadContext {
  return { file, text, lines: new LineCounter(text), locs, issues: [] };
}

/** The span of an offset range. */
export function spanAt(ctx: KubeReadContext, r: Range | undefined): Span {
  return r ? ctx.lines.span(r[0], Math.max(r[0], r[1])) : ctx.lines.span(0, 0);
}

/** Records a problem at a range. */
export function reportAt(ctx: KubeReadContext, r: Range | undefined, code: string, severity: Severity, message: string): void {
  ctx.issues.push({ code, severity, message, span: spanAt(ctx, r), file: ctx.file });
}

/** The origin of a range: file, line span, and the text of its first line. */
export function originAt(ctx: KubeReadContext, r: Range | undefined): KubeOrigin {
  const s = spanAt(ctx, r);
  const lineStart = ctx.lines.lineStarts[s.line - 1] ?? 0;
  const nl = ctx.text.indexOf('\n', lineStart);
  const text = ctx.text.slice(lineStart, nl < 0 ? Math.min(ctx.text.length, lineStart + 200) : Math.min(nl, lineStart + 200)).replace(/\r$/, '');
  return { file: ctx.file, line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn, text };
}

/** A map field that must be a map; absent → undefined; wrong type → reported. */
export function mapField(ctx: KubeReadContext, m: PlainMap, key: string, what: string): PlainMap | undefined {
  const v = m[key];
  if (v === undefined || v === null) return undefined;
  if (isPlainMap(v)) return v;
  reportAt(ctx, ctx.locs.value(m, key), 'kube-wrong-type', 'error', `${what}.${key} must be a map`);
  return undefined;
}

/** A list field; absent → []; wrong type → reported, []. */
export function listField(ctx: KubeReadContext, m: PlainMap, key: string, what: string): Plain[] {
  const v = m[key];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  reportAt(ctx, ctx.locs.value(m, key), 'kube-wrong-type', 'error', `${what}.${key} must be a list`);
  return [];
}

/** The maps of a list field; items that are not maps are reported and left out. */
export function mapsOf(ctx: KubeReadContext, m: PlainMap, key: string, what: string): { item: PlainMap; range: Range | undefined }[] {
  const list = listField(ctx, m, key, what);
  const out: { item: PlainMap; range: Range | undefined }[] = [];
  list.forEach((it, i) => {
    // a map knows its own range; asking the list would make JSON re-read it
    if (isPlainMap(it)) out.push({ item: it, range: ctx.locs.of(it) });
    else reportAt(ctx, ctx.locs.item(list, i), 'kube-wrong-type', 'error', `items of ${what}.${key} must be maps`);
  });
  return out;
}

/** A string field (numbers and booleans are written as text). */
export function strField(ctx: KubeReadContext, m: PlainMap, key: string, what: string): string | undefined {
  const v = m[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  reportAt(ctx, ctx.locs.value(m, key), 'kube-wrong-type', 'error', `${what}.${key} must be a string`);
  return undefined;
}

/** A boolean field. */
export function boolField(ctx: KubeReadContext, m: PlainMap, key: string, what: string): boolean | undefined {
  const v = m[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  reportAt(ctx, ctx.locs.value(m, key), 'kube-wrong-type', 'error', `${what}.${key} must be true or false`);
  return undefined;
}

/** An integer field within [min, max]. */
export function intField(ctx: KubeReadContext, m: PlainMap, key: string, what: string, min: number, max: number): number | undefined {
  const v = m[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  reportAt(ctx, ctx.locs.value(m, key), 'kube-bad-value', 'error', `${what}.${key} must be an integer from ${min} to ${max}`);
  return undefined;
}

/** A map of string → string (labels, selectors); values that are not text are reported. */
export function labelsField(ctx: KubeReadContext, m: PlainMap, key: string, what: string): Record<string, string> | undefined {
  const mm = mapField(ctx, m, key, what);
  if (!mm) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(mm)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (v === null) out[k] = '';
    else reportAt(ctx, ctx.locs.value(mm, k), 'kube-wrong-type', 'error', `${what}.${key}.${k} must be a string`);
  }
  return out;
}

/** A protocol field: TCP (the default), UDP or SCTP. */
export function protocolField(ctx: KubeReadContext, m: PlainMap, what: string): KubeProtocol | undefined {
  const p = strField(ctx, m, 'protocol', what);
  if (p === undefined) return 'TCP';
  if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return p;
  reportAt(ctx, ctx.locs.value(m, 'protocol'), 'kube-bad-value', 'error', `${what}.protocol must be TCP, UDP or SCTP (got "${p}")`);
  return undefined;
}

/** A list of strings. */
export function strListField(ctx: KubeReadContext, m: PlainMap, key: string, what: string): string[] {
  const list = listField(ctx, m, key, what);
  const out: string[] = [];
  list.forEach((v, i) => {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else reportAt(ctx, ctx.locs.item(list, i), 'kube-wrong-type', 'error', `items of ${what}.${key} must be strings`);
  });
  return out;
}
