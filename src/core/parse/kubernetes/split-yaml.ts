/**
 * Cuts a YAML stream into the pieces that can be read one at a time: its
 * documents (`---`), and inside a document whose top-level `items:` is a block
 * list (what `kubectl get … -o yaml` prints: a `kind: List`), each item. Reading
 * item by item keeps a 50 MB List's memory to one object at a time, and one
 * broken item costs that item only.
 */

/** A piece of the text to read as one YAML document. */
export interface YamlChunk {
  /** Offset of `text` in the whole file. */
  offset: number;
  text: string;
  /** The chunk is one item of the enclosing document's `items:` list (`- ` blanked out). */
  listItem: boolean;
  /** Index of the document (0-based) the chunk belongs to. */
  doc: number;
}

/** A part of a List document outside its `items:` (kind, metadata), read for the List's namespace. */
export interface YamlDocHead {
  doc: number;
  offset: number;
  text: string;
}

interface Line {
  start: number;
  end: number;
  text: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let s = 0;
  for (;;) {
    const n = text.indexOf('\n', s);
    const e = n < 0 ? text.length : n;
    const t = text.slice(s, e);
    out.push({ start: s, end: e, text: t.endsWith('\r') ? t.slice(0, -1) : t });
    if (n < 0) return out;
    s = n + 1;
  }
}

const indentOf = (t: string): number => t.length - t.trimStart().length;
const isBlankOrComment = (t: string): boolean => /^\s*(?:#.*)?$/.test(t);

/** Splits `text` into documents, and Lists into their items. */
export function splitYaml(text: string): { chunks: YamlChunk[]; heads: YamlDocHead[] } {
  const lines = linesOf(text);
  const chunks: YamlChunk[] = [];
  const heads: YamlDocHead[] = [];
  let doc = 0;
  let i = 0;
  while (i < lines.length) {
    // one document: lines up to the next `---` or `...`
    let j = i;
    while (j < lines.length && !/^(?:---|\.\.\.)(?:\s|$)/.test(lines[j].text)) j++;
    splitDocument(text, lines, i, j, doc, chunks, heads);
    doc++;
    i = j + 1;
  }
  return { chunks, heads };
}

function splitDocument(text: string, lines: Line[], from: number, to: number, doc: number, chunks: YamlChunk[], heads: YamlDocHead[]): void {
  if (from >= to) return;
  const startOff = lines[from].start;
  const endOff = lines[to - 1].end;
  const itemsAt = lines.slice(from, to).findIndex((l) => /^items:\s*(?:#.*)?$/.test(l.text));
  if (itemsAt < 0) {
    const t = text.slice(startOff, endOff);
    if (!isBlankOrComment(t) || t.includes('\n')) {
      if (/\S/.test(t.replace(/^\s*#.*$/gm, ''))) chunks.push({ offset: startOff, text: t, listItem: false, doc });
    }
    return;
  }
  const k = from + itemsAt;
  // the list's items start at the first non-blank line after `items:`, at its indent
  let m = k + 1;
  while (m < to && isBlankOrComment(lines[m].text)) m++;
  if (m >= to || !/^\s*- /.test(lines[m].text) && !/^\s*-$/.test(lines[m].text)) {
    chunks.push({ offset: startOff, text: text.slice(startOff, endOff), listItem: false, doc });
    return;
  }
  const ind = indentOf(lines[m].text);
  let end = m;
  let itemStart = -1;
  const flush = (upTo: number): void => {
    if (itemStart < 0) return;
    const s = lines[itemStart].start;
    const e = lines[upTo - 1].end;
    // `- ` becomes two spaces: the item reads as a map at the same offsets
    const raw = text.slice(s, e);
    const body = `${raw.slice(0, ind)} ${raw.slice(ind + 1)}`;
    chunks.push({ offset: s, text: body, listItem: true, doc });
  };
  while (end < to) {
    const t = lines[end].text;
    if (isBlankOrComment(t)) { end++; continue; }
    const d = indentOf(t);
    if (d === ind && /^\s*-(?:\s|$)/.test(t)) { flush(end); itemStart = end; end++; continue; }
    if (d > ind) { end++; continue; }
    break;
  }
  flush(lastContent(lines, itemStart, end) + 1);
  // the head: the document's fields before and after the items, each read at its own offset
  heads.push({ doc, offset: startOff, text: text.slice(startOff, lines[k].start) });
  if (end < to) heads.push({ doc, offset: lines[end].start, text: text.slice(lines[end].start, endOff) });
}

function lastContent(lines: Line[], from: number, to: number): number {
  let e = to - 1;
  while (e > from && isBlankOrComment(lines[e].text)) e--;
  return e;
}
