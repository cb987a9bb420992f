/**
 * `<source>` values of the topology file: a block string of pasted command
 * output, a `{file: relative/path}` reference, or (routes only) an inline YAML
 * list. Each becomes a SourceText that knows where its text sits, so a problem
 * on line 3 of a rule pasted under `iptables: |` is reported at the right line
 * and column of the YAML file, and one in a referenced file at that file's line.
 */
import { isMap, isScalar, Scalar, type Node } from 'yaml';
import { type Issue, type Span, type TextPlacement, toFileSpan } from '../../source';
import type { FileReader, SourceText } from '../../model/topology';
import { type YamlContext, report, spanOf } from './topology-yaml';
import { maskHeaderComments } from '../text/pasted';
import { TOPOLOGY_FIELDS } from './topology-fields';

/** What resolving sources needs besides the YAML context: the reader and the list of files referenced so far. */
export interface SourceContext {
  yaml: YamlContext;
  reader: FileReader;
  /** The topology file's folder as written (`examples/azure-kubenet`), '' when it has none. */
  dir: string;
  referenced: string[];
}

/** The folder part of a path as written (either separator), '' for a bare file name. */
export function dirOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '' : file.slice(0, i);
}

/**
 * Normalises a `{file: …}` path relative to the topology's folder; undefined when
 * it is absolute or climbs above that folder (`../x`): a topology may only point
 * inside its own tree, so opening a shared workspace never reads elsewhere.
 */
export function normalizeRef(ref: string): string | undefined {
  if (/^(?:[a-zA-Z]:)?[\\/]/.test(ref) || /^[a-zA-Z]:/.test(ref)) return undefined;
  const out: string[] = [];
  for (const seg of ref.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.length ? out.join('/') : undefined;
}

/** Offset of a 1-based line/column in the topology file (toFileSpan's offsets ignore per-line indentation). */
function offsetAt(ctx: YamlContext, line: number, column: number): number {
  const start = ctx.lines.lineStarts[line - 1] ?? ctx.text.length;
  return start + column - 1;
}

/** Maps a span of a source's text into its file; offsets are exact for block scalars in the topology file. */
export function placeSpan(ctx: YamlContext, span: Span, p: TextPlacement): Span {
  const s = toFileSpan(span, p);
  if (p.file !== ctx.file || (p.indent === 0 && p.firstLine === 1)) return s;
  return { ...s, start: offsetAt(ctx, s.line, s.column), end: offsetAt(ctx, s.endLine, s.endColumn) };
}

/** Moves a parser's issues into the file the source sits in. */
export function placeIssues(ctx: YamlContext, issues: Issue[], src: SourceText): void {
  for (const i of issues) {
    const span = placeSpan(ctx, i.span, src.placement);
    ctx.issues.push({ ...i, span: src.placement.file === ctx.file ? withinFile(ctx, span) : span, file: src.placement.file });
  }
}

/**
 * Keeps a placed span inside the topology file: a value YAML folded (a plain
 * scalar over several lines) no longer lines up with the file column for column.
 */
function withinFile(ctx: YamlContext, s: Span): Span {
  const n = ctx.lines.lineStarts.length;
  const clamp = (line: number, column: number): { line: number; column: number } => {
    const l = Math.min(Math.max(line, 1), n);
    const start = ctx.lines.lineStarts[l - 1];
    const next = l < n ? ctx.lines.lineStarts[l] : ctx.text.length;
    const len = ctx.text.slice(start, next).replace(/\r?\n$|\r$/, '').length;
    return { line: l, column: Math.min(Math.max(column, 1), len + 1) };
  };
  const a = clamp(s.line, s.column);
  const b = clamp(s.endLine, s.endColumn);
  if (a.line === s.line && a.column === s.column && b.line === s.endLine && b.column === s.endColumn) return s;
  const at = (p: { line: number; column: number }) => ctx.lines.lineStarts[p.line - 1] + p.column - 1;
  return { start: at(a), end: at(b), line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** A block scalar's text and placement: `|` keeps YAML's value; `>` keeps the lines as written (see below). */
function blockSource(ctx: YamlContext, node: Scalar, what: string): SourceText {
  const range = node.range ?? [0, 0, 0];
  const headerEnd = ctx.text.indexOf('\n', range[0]);
  const bodyStart = headerEnd < 0 ? range[1] : headerEnd + 1;
  const firstLine = ctx.lines.position(bodyStart).line;
  const body = ctx.text.slice(bodyStart, Math.max(bodyStart, range[1]));
  const firstContent = body.split('\n').find((l) => l.trim() !== '') ?? '';
  const indent = firstContent.length - firstContent.trimStart().length;
  let text = String(node.value);
  if (node.type === Scalar.BLOCK_FOLDED) {
    // Folding would join a dump's lines into one; command output is line-oriented, so the lines are kept as written.
    text = body.split('\n').map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n').replace(/\s+$/, '\n');
    report(ctx, node, 'topology-folded-source', 'info', `${what}: ">" would fold the pasted lines together; they are read line by line as written`);
  }
  const placement: TextPlacement = { file: ctx.file, firstLine, indent, offset: bodyStart + indent };
  return { text: maskHeaderComments(text), placement, span: spanOf(ctx, node) };
}

/** A one-line string source (`routes: "default via 10.0.0.1"`): placed where its text starts. */
function inlineSource(ctx: YamlContext, node: Scalar, what: string): SourceText {
  const start = node.range?.[0] ?? 0;
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  const pos = ctx.lines.position(start + quoted);
  const end = node.range?.[1] ?? start;
  if (ctx.lines.position(Math.max(start, end - 1)).line > pos.line) {
    // A dump pasted without "|": YAML joins its lines with spaces, so the dump reads as one long line.
    report(ctx, node, 'topology-folded-source', 'info', `${what}: without "|" the pasted lines are folded into one; write "${what.split(' ').pop() ?? 'key'}: |" to keep them`);
  }
  return {
    text: String(node.value),
    placement: { file: ctx.file, firstLine: pos.line, indent: pos.column - 1, offset: start + quoted },
    span: spanOf(ctx, node),
  };
}

/** Reads `{file: path}` through the reader; problems are reported at the `file:` value. */
function fileSource(sc: SourceContext, node: Node, what: string): SourceText | undefined {
  const ctx = sc.yaml;
  if (!isMap(node)) return undefined;
  let pathNode: Node | null = null;
  for (const p of node.items) {
    const k = p.key as Node | null;
    const name = isScalar(k) ? String(k.value) : '';
    if (name === 'file') pathNode = p.value as Node | null;
    else report(ctx, k, 'topology-unknown-field', 'warning', `unknown field "${name}" in a file source; known: ${TOPOLOGY_FIELDS.fileSource.join(', ')}`);
  }
  if (!pathNode) {
    report(ctx, node, 'topology-missing-field', 'error', `${what}: a file source needs "file"`);
    return undefined;
  }
  if (!isScalar(pathNode) || typeof pathNode.value !== 'string' || pathNode.value === '') {
    report(ctx, pathNode, 'topology-wrong-type', 'error', `${what}: "file" must be a relative path`);
    return undefined;
  }
  const ref = pathNode.value;
  const rel = normalizeRef(ref);
  if (rel === undefined) {
    report(ctx, pathNode, 'topology-file-escapes', 'error', `${what}: "${ref}" is outside the topology's folder; use a path relative to it, without leading "../" or "/"`);
    return undefined;
  }
  if (!sc.referenced.includes(rel)) sc.referenced.push(rel);
  const got = sc.reader.read(rel);
  if ('error' in got) {
    report(ctx, pathNode, 'topology-file-missing', 'error', `${what}: cannot read "${ref}": ${got.error}`);
    return undefined;
  }
  const file = sc.dir ? `${sc.dir}/${rel}` : rel;
  return { text: maskHeaderComments(got.text), placement: { file, firstLine: 1, indent: 0, offset: 0 }, fileRef: ref, span: spanOf(ctx, node) };
}

/** Resolves a `<source>` value to its text and placement; undefined (with an issue) when it is neither a string nor `{file: …}`. */
export function resolveSource(sc: SourceContext, node: Node | null, what: string): SourceText | undefined {
  const ctx = sc.yaml;
  if (isScalar(node) && typeof node.value === 'string') {
    return node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED ? blockSource(ctx, node, what) : inlineSource(ctx, node, what);
  }
  if (isMap(node)) return fileSource(sc, node, what);
  report(ctx, node, 'topology-wrong-type', 'error', `${what} must be pasted text (a "|" block) or {file: relative/path}`);
  return undefined;
}
