/**
 * Kubernetes objects from one file: what `kubectl get … -o yaml` or `-o json`
 * prints (a List), a single object, or a multi-document manifest (kustomize,
 * `helm template`). YAML is read document by document and a List item by item;
 * JSON by a positioned reader. Never throws: syntax errors, nesting too deep and
 * objects the API would refuse are issues with their position.
 */
import { type Issue, type ParseResult, LineCounter } from '../../source';
import type { KubeObjects } from '../../model/kubernetes';
import { parseDocument } from 'yaml';
import { JsonError, Locations, jsonLocations, NestingError, type Plain, isPlainMap, plainOfJson, plainOfYaml } from './located';
import { type KubeReadContext, reportAt } from './read-context';
import { readObject } from './read-objects';
import { splitYaml } from './split-yaml';

/** An empty set of objects. */
export function emptyKubeObjects(): KubeObjects {
  return { nodes: [], pods: [], services: [], endpointSlices: [], namespaces: [], workloads: [], policies: [] };
}

/** Adds `more` to `into` (kept in input order). */
export function mergeKubeObjects(into: KubeObjects, more: KubeObjects): void {
  for (const k of Object.keys(into) as (keyof KubeObjects)[]) (into[k] as unknown[]).push(...more[k]);
}

function readJson(ctx: KubeReadContext, out: KubeObjects): void {
  try {
    const { value, end } = plainOfJson(ctx.text, ctx.locs);
    if (end < ctx.text.length) reportAt(ctx, [end, end + 1], 'kube-json-syntax', 'error', 'text after the end of the JSON value is ignored');
    readObject(ctx, value, ctx.locs.of(value as object) ?? [0, ctx.text.length], out);
  } catch (e) {
    if (e instanceof JsonError) reportAt(ctx, [e.offset, e.offset + 1], 'kube-json-syntax', 'error', e.message);
    else if (e instanceof NestingError) reportAt(ctx, [e.offset, e.offset + 1], 'kube-too-deep', 'error', e.message);
    else if (e instanceof RangeError) reportAt(ctx, [0, 0], 'kube-too-deep', 'error', 'the JSON is nested too deeply to read');
    else throw e;
  }
}

/** Reads one YAML piece at `offset` into a plain value; syntax errors are issues, and the piece then counts as empty. */
function yamlPiece(ctx: KubeReadContext, text: string, offset: number): Plain | undefined {
  try {
    const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length > 0) {
      for (const e of doc.errors.slice(0, 5)) reportAt(ctx, [e.pos[0] + offset, e.pos[1] + offset], 'kube-yaml-syntax', 'error', e.message.split('\n')[0]);
      return undefined;
    }
    return plainOfYaml(doc.contents, doc, ctx.locs, offset);
  } catch (e) {
    if (e instanceof NestingError) { reportAt(ctx, [e.offset + offset, e.offset + offset + 1], 'kube-too-deep', 'error', e.message); return undefined; }
    if (e instanceof RangeError) { reportAt(ctx, [offset, offset], 'kube-too-deep', 'error', 'this document is nested too deeply to read'); return undefined; }
    throw e;
  }
}

function readYaml(ctx: KubeReadContext, out: KubeObjects): void {
  const { chunks, heads } = splitYaml(ctx.text);
  // a List's namespace (rare, but the spec says objects without one take it)
  const listNs = new Map<number, string>();
  for (const h of heads) {
    const v = yamlPiece(ctx, h.text, h.offset);
    if (isPlainMap(v) && isPlainMap(v.metadata) && typeof v.metadata.namespace === 'string') listNs.set(h.doc, v.metadata.namespace);
  }
  for (const c of chunks) {
    const v = yamlPiece(ctx, c.text, c.offset);
    if (v === undefined || v === null) continue;
    readObject(ctx, v, ctx.locs.of(v as object) ?? [c.offset, c.offset + c.text.length], out, listNs.get(c.doc) ?? '');
  }
}

/** Parses Kubernetes objects from `text` (the whole file `file`). */
export function parseKubernetes(text: string, file = ''): ParseResult<KubeObjects> {
  const json = /^\s*[[{]/.test(text);
  const locs = json ? jsonLocations(text) : new Locations();
  const ctx: KubeReadContext = { file, text, lines: new LineCounter(text), locs, issues: [] };
  const out = emptyKubeObjects();
  if (json) readJson(ctx, out);
  else readYaml(ctx, out);
  return { value: out, issues: ctx.issues as Issue[] };
}
