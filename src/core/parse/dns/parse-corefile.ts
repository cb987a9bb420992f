/**
 * CoreDNS Corefile → server blocks and plugin directives, each with its span.
 *
 * The Corefile is Caddyfile syntax: server blocks `KEY [KEY…] { … }`, one
 * directive per line (`plugin ARG…`), an optional `{ … }` sub-block at the end
 * of a directive line, `#` comments, double-quoted tokens. The ConfigMap YAML
 * that wraps one in a cluster (`data: Corefile: |`) is accepted too: the block
 * scalar is located and parsed in place, so spans are spans of the YAML file.
 * Snippets `(name) { … }` are kept as blocks but `import` is not expanded.
 */
import { LineCounter, issue, splitLines, type Issue, type ParseResult, type Span } from '../../source';

/** A word of the Corefile with where it is. */
export interface CorefileToken {
  text: string;
  span: Span;
}

/** One plugin line (`forward . 8.8.8.8`) or sub-directive (`pods insecure`), with its nested block when it has one. */
export interface CorefileDirective {
  /** The plugin or property name (`kubernetes`, `forward`, `pods`). */
  name: string;
  nameSpan: Span;
  args: CorefileToken[];
  /** Directives inside `{ … }` after the arguments. */
  block?: CorefileDirective[];
  /** From the name to the end of the line (or the closing brace of its block). */
  span: Span;
  /** The raw text of the directive's first line, trimmed. */
  text: string;
}

/** A server block key: `[dns://]ZONE[:PORT]`. */
export interface CorefileServerKey {
  /** Zone as written, normalised to lower case with a trailing dot (`.` for the root). */
  zone: string;
  port: number;
  text: string;
  span: Span;
}

/** One server block: the zones it serves and its plugins in written order. */
export interface CorefileServerBlock {
  keys: CorefileServerKey[];
  directives: CorefileDirective[];
  span: Span;
  /** A snippet `(name) { … }`: a reusable fragment, not a server. */
  snippet?: string;
}

/** A parsed Corefile. */
export interface Corefile {
  servers: CorefileServerBlock[];
}

interface Tok { text: string; start: number; end: number; line: number; quoted: boolean }

/** Parses a Corefile, or the ConfigMap YAML wrapping one. Never throws. */
export function parseCorefile(text: string): ParseResult<Corefile> {
  const lc = new LineCounter(text);
  const issues: Issue[] = [];
  const range = corefileRange(text, lc, issues);
  const toks = tokenize(text, range, lc, issues);
  const servers: CorefileServerBlock[] = [];
  let i = 0;
  while (i < toks.length) {
    // Server keys: every token up to `{`, possibly over several lines (`a:53,\n b:53 {`).
    const keyToks: Tok[] = [];
    while (i < toks.length && toks[i].text !== '{' && !(toks[i].text === '}' && !toks[i].quoted)) keyToks.push(toks[i++]);
    if (i >= toks.length) {
      if (keyToks.length > 0) issues.push(issue('corefile-missing-block', 'error', lc.span(keyToks[0].start, keyToks[keyToks.length - 1].end), 'server keys without a `{ … }` block'));
      break;
    }
    if (toks[i].text === '}') {
      issues.push(issue('corefile-unexpected-close', 'error', lc.span(toks[i].start, toks[i].end), 'closing brace without an open block'));
      i++;
      continue;
    }
    const open = toks[i++];
    const body = parseBlock(toks, i, lc, issues, open);
    i = body.next;
    const first = keyToks[0] ?? open;
    const block: CorefileServerBlock = { keys: [], directives: body.directives, span: lc.span(first.start, body.end) };
    const snippet = keyToks.length === 1 ? /^\((.+)\)$/.exec(keyToks[0].text) : null;
    if (snippet) block.snippet = snippet[1];
    else {
      if (keyToks.length === 0) issues.push(issue('corefile-missing-server-key', 'error', lc.span(open.start, open.end), 'a server block needs at least one zone (`.:53`)'));
      for (const t of keyToks) {
        for (const part of splitKeys(t)) {
          const key = parseServerKey(part.text, lc.span(part.start, part.end));
          if (key) block.keys.push(key);
          else issues.push(issue('corefile-bad-server-key', 'warning', lc.span(part.start, part.end), `not a server key: ${part.text.replace(/\r?\n|\r/g, '\\n')}`));
        }
      }
    }
    servers.push(block);
  }
  return { value: { servers }, issues };
}

/** Parses directives after an opening brace up to its closing brace. */
function parseBlock(toks: Tok[], from: number, lc: LineCounter, issues: Issue[], open: Tok): { directives: CorefileDirective[]; next: number; end: number } {
  const directives: CorefileDirective[] = [];
  let i = from;
  while (i < toks.length) {
    const t = toks[i];
    if (t.text === '}' && !t.quoted) return { directives, next: i + 1, end: t.end };
    if (t.text === '{' && !t.quoted) {
      issues.push(issue('corefile-unexpected-open', 'error', lc.span(t.start, t.end), 'opening brace without a directive'));
      const inner = parseBlock(toks, i + 1, lc, issues, t);
      i = inner.next;
      continue;
    }
    const args: CorefileToken[] = [];
    let j = i + 1;
    while (j < toks.length && toks[j].line === t.line && !(!toks[j].quoted && (toks[j].text === '{' || toks[j].text === '}'))) {
      args.push({ text: toks[j].text, span: lc.span(toks[j].start, toks[j].end) });
      j++;
    }
    const lineEnd = j > i + 1 ? toks[j - 1].end : t.end;
    const lineText = lc.text.slice(lc.lineStarts[t.line - 1], lineEnd).trim();
    const d: CorefileDirective = { name: t.text, nameSpan: lc.span(t.start, t.end), args, span: lc.span(t.start, lineEnd), text: lineText };
    if (j < toks.length && toks[j].text === '{' && !toks[j].quoted && toks[j].line === t.line) {
      const inner = parseBlock(toks, j + 1, lc, issues, toks[j]);
      d.block = inner.directives;
      d.span = lc.span(t.start, inner.end);
      j = inner.next;
    }
    directives.push(d);
    i = j;
  }
  issues.push(issue('corefile-unclosed-block', 'error', lc.span(open.start, open.end), 'this `{` is never closed'));
  return { directives, next: i, end: toks.length > 0 ? toks[toks.length - 1].end : open.end };
}

/** Splits `a:53,b:53` into its keys, keeping offsets. */
function splitKeys(t: Tok): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  let s = 0;
  for (let k = 0; k <= t.text.length; k++) {
    if (k === t.text.length || t.text[k] === ',') {
      if (k > s) out.push({ text: t.text.slice(s, k), start: t.start + s, end: t.start + k });
      s = k + 1;
    }
  }
  return out;
}

/** `[dns://]zone[:port]` → key; undefined when it is not one. */
export function parseServerKey(text: string, span: Span): CorefileServerKey | undefined {
  const m = /^(?:(dns|tls|grpc|https|quic):\/\/)?([^:\s]*)(?::(\d+))?$/i.exec(text);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'dns').toLowerCase();
  const defaultPort = scheme === 'tls' ? 853 : scheme === 'https' ? 443 : scheme === 'grpc' ? 443 : scheme === 'quic' ? 853 : 53;
  const port = m[3] !== undefined ? Number(m[3]) : defaultPort;
  if (port > 65535) return undefined;
  return { zone: normaliseZone(m[2] === '' ? '.' : m[2]), port, text, span };
}

/** Lower case with one trailing dot; the root stays `.`. */
export function normaliseZone(z: string): string {
  const s = z.toLowerCase().replace(/\.+$/, '');
  return s === '' ? '.' : `${s}.`;
}

/** The part of `text` that holds the Corefile: all of it, or the `Corefile: |` block scalar of a ConfigMap. */
function corefileRange(text: string, lc: LineCounter, issues: Issue[]): { from: number; to: number } {
  const lines = splitLines(text);
  const looksYaml = lines.some((l) => /^\s*(apiVersion|kind|data)\s*:/.test(l.text));
  if (!looksYaml) return { from: 0, to: text.length };
  const keyIdx = lines.findIndex((l) => /^\s*["']?Corefile["']?\s*:\s*[|>][-+0-9]*\s*$/.test(l.text));
  if (keyIdx < 0) {
    const inline = lines.findIndex((l) => /^\s*["']?Corefile["']?\s*:/.test(l.text));
    const where = lines[inline >= 0 ? inline : 0];
    issues.push(issue('corefile-not-in-configmap', 'error', lc.span(where.offset, where.offset + where.text.length),
      inline >= 0 ? 'the Corefile must be a block scalar (`Corefile: |`)' : 'YAML without a `data: Corefile: |` entry'));
    return { from: 0, to: 0 };
  }
  const keyIndent = /^\s*/.exec(lines[keyIdx].text)![0].length;
  let last = keyIdx;
  for (let k = keyIdx + 1; k < lines.length; k++) {
    const l = lines[k].text;
    if (l.trim() === '') continue;
    if (/^\s*/.exec(l)![0].length <= keyIndent) break;
    last = k;
  }
  if (last === keyIdx) return { from: 0, to: 0 };
  const from = lines[keyIdx + 1].offset;
  return { from, to: lines[last].offset + lines[last].text.length };
}

/** Caddyfile lexing: whitespace-separated words, quotes, `#` comments, braces as their own tokens. */
function tokenize(text: string, range: { from: number; to: number }, lc: LineCounter, issues: Issue[]): Tok[] {
  const toks: Tok[] = [];
  let k = range.from;
  while (k < range.to) {
    const c = text[k];
    // the same whitespace test that ends a word, or a \v or \f would start an empty word forever
    if (/\s/.test(c)) { k++; continue; }
    if (c === '#') { while (k < range.to && text[k] !== '\n' && text[k] !== '\r') k++; continue; }
    const start = k;
    if (c === '"') {
      let v = '';
      k++;
      while (k < range.to && text[k] !== '"') {
        if (text[k] === '\\' && k + 1 < range.to) k++;
        v += text[k++];
      }
      if (k >= range.to) issues.push(issue('corefile-unterminated-quote', 'error', lc.span(start, k), 'quoted word without its closing quote'));
      else k++;
      toks.push({ text: v, start, end: k, line: lc.position(start).line, quoted: true });
      continue;
    }
    while (k < range.to && !/\s/.test(text[k])) k++;
    const word = text.slice(start, k);
    // `{` and `}` glued to a word (`lameduck 5s}`) are still braces; `{$ENV}` placeholders are words.
    if (word.length > 1 && word.endsWith('{') && !word.startsWith('{$')) {
      toks.push({ text: word.slice(0, -1), start, end: k - 1, line: lc.position(start).line, quoted: false });
      toks.push({ text: '{', start: k - 1, end: k, line: lc.position(k - 1).line, quoted: false });
    } else toks.push({ text: word, start, end: k, line: lc.position(start).line, quoted: false });
  }
  return toks;
}
