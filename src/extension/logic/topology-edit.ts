/**
 * The text edit that attaches a source file to a host in a topology:
 * `routes: {file: k8s-agent-0/route-n.txt}` added to (or replacing the value in)
 * the host's map, keeping the file's indentation and flow/block style. Works on
 * the YAML CST offsets, so comments and layout elsewhere stay untouched.
 */
import { parseDocument, isMap, isSeq, isScalar, type YAMLMap, type Pair, type Node } from 'yaml';

/** A replacement of `[offset, offset + length)` by `text`. */
export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

/** Sections that hold hosts. */
export type HostSection = 'nodes' | 'pods' | 'routers' | 'hosts';

function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

function pairNamed(m: YAMLMap, key: string): Pair | undefined {
  return m.items.find((p) => keyOf(p as Pair) === key) as Pair | undefined;
}

function lineIndentAt(text: string, offset: number): number {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  return offset - ls;
}

/** Adds `key: value` at the end of map `m` (block or flow). */
function appendPair(text: string, m: YAMLMap, key: string, value: string): TextEdit | undefined {
  if (!m.range) return undefined;
  if (m.flow) {
    const close = text.lastIndexOf('}', m.range[1]);
    const empty = m.items.length === 0;
    return { offset: close, length: 0, text: `${empty ? '' : ', '}${key}: ${value}` };
  }
  const first = m.items[0] as Pair | undefined;
  const firstKey = first?.key as Node | undefined;
  const indent = firstKey?.range ? lineIndentAt(text, firstKey.range[0]) : 2;
  const last = m.items[m.items.length - 1] as Pair | undefined;
  const lastNode = (last?.value ?? last?.key) as Node | undefined;
  const endOfValue = lastNode?.range ? lastNode.range[1] : m.range[1];
  // Insert after the line the last value ends on (a block scalar ends at its last line).
  let eol = text.indexOf('\n', Math.max(0, endOfValue - 1));
  if (eol < 0) eol = text.length;
  if (lastNode?.range && text[lastNode.range[1] - 1] === '\n') eol = lastNode.range[1] - 1;
  return { offset: eol, length: 0, text: `\n${' '.repeat(indent)}${key}: ${value}` };
}

/**
 * The edit that sets `key` (and, for a per-table iptables map, `key.table`) of the
 * host named `name` in `spec.<section>` to `{file: path}`; undefined when the host
 * is not found or the file cannot be edited safely (YAML errors).
 */
export function setSourceFileEdit(text: string, section: HostSection, name: string, key: string, file: string, table?: string): TextEdit | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length) return undefined;
  const spec = isMap(doc.contents) ? doc.contents.get('spec', true) : undefined;
  const list = isMap(spec) ? spec.get(section, true) : undefined;
  if (!isSeq(list)) return undefined;
  const wantNs = name.includes('/') ? name.split('/')[0] : undefined;
  const wantName = name.includes('/') ? name.split('/').slice(1).join('/') : name;
  const host = list.items.find((it) => isMap(it) && String(it.get('name')) === wantName && (wantNs === undefined || String(it.get('namespace') ?? 'default') === wantNs));
  if (!isMap(host)) return undefined;
  const ref = `{file: ${/^[\w./-]+$/.test(file) ? file : JSON.stringify(file)}}`;
  const existing = pairNamed(host, key);
  const value = table ? `{${table}: ${ref}}` : ref;
  if (!existing) return appendPair(text, host, key, value);
  const v = existing.value as Node | null;
  if (table && isMap(v) && !pairNamed(v, 'file')) {
    const inner = pairNamed(v, table);
    const iv = inner?.value as Node | null | undefined;
    if (inner && iv?.range) return { offset: iv.range[0], length: iv.range[1] - iv.range[0], text: ref };
    return appendPair(text, v, table, ref);
  }
  if (!v?.range) return undefined;
  // A block scalar's range ends after its last newline; keep that newline.
  const end = text[v.range[1] - 1] === '\n' ? v.range[1] - 1 : v.range[1];
  return { offset: v.range[0], length: end - v.range[0], text: value };
}

/** Applies an edit to a string (tests, and callers without an editor). */
export function applyEdit(text: string, e: TextEdit): string {
  return text.slice(0, e.offset) + e.text + text.slice(e.offset + e.length);
}
