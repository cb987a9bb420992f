/**
 * The body of a named set or map: `type ipv4_addr . inet_proto . inet_service : verdict`,
 * `typeof ip daddr`, `flags interval,timeout`, `timeout 3h`, `size`, `policy`,
 * `comment "…"`, `elements = { … }`; one a line in `nft list`, `;`-separated in `nft -f`.
 */
import type { NftSet } from '../../model/nftables';
import type { NftCursor } from './nft-cursor';
import type { NftToken } from './nft-lex';
import { parseElements } from './parse-nft-expr';

/** Reads `{ … }` at the current token into `set`. */
export function readSetBody(c: NftCursor, set: NftSet, head: NftToken): void {
  const open = c.advance();
  const handle = c.handleAfter(open);
  if (handle !== undefined) set.handle = handle;
  for (;;) {
    c.skipSeparators();
    const t = c.tok;
    if (c.eatPunct('}')) {
      set.span = c.span(head, c.prev);
      return;
    }
    if (t.kind === 'eof') return c.error('nft-unbalanced-brace', open, `${set.kind} ${set.name}: "{" never closed`);
    if (c.eatWord('type')) readType(c, set);
    else if (c.eatWord('typeof')) {
      const from = c.tok;
      c.skipStatement();
      set.typeofText = c.textOf(from, c.prev);
      const colon = set.typeofText.indexOf(' : ');
      if (set.kind === 'map' && colon >= 0) set.dataType = set.typeofText.slice(colon + 3);
    } else if (c.eatWord('flags')) {
      while (c.isWord()) {
        set.flags.push(c.advance().text);
        c.eatPunct(',');
      }
    } else if (c.eatWord('timeout')) set.timeout = c.isWord() ? c.advance().text : '';
    else if (c.eatWord('comment')) set.comment = c.tok.kind === 'string' || c.tok.kind === 'word' ? c.advance().text : '';
    else if (c.eatWord('elements')) {
      if (!c.eatPunct('=')) c.error('nft-expected-value', c.tok, 'expected "=" after elements');
      if (c.isPunct('{')) for (const e of parseElements(c)) set.elements.push(e);
      else c.error('nft-expected-value', c.tok, 'expected "{" with the elements');
    } else if (c.isWord('size') || c.isWord('gc-interval') || c.isWord('policy') || c.isWord('auto-merge') || c.isWord('counter')) c.skipStatement();
    else {
      c.skipStatement();
      c.report('nft-unexpected', 'error', t, `"${t.text.slice(0, 40)}" cannot appear in a ${set.kind}`, c.prev.end > t.start ? c.prev : t);
      if (c.tok === t) c.advance();
    }
  }
}

/** `ipv4_addr . inet_proto . inet_service : verdict`. */
function readType(c: NftCursor, set: NftSet): void {
  const key: string[] = [];
  let data: string[] | undefined;
  while (c.isWord()) {
    const w = c.advance().text;
    if (w === '.') continue;
    if (w === ':') data = [];
    else if (data) data.push(w);
    else key.push(w);
  }
  set.keyType = key;
  if (data) {
    set.dataType = data.join(' . ');
    if (set.kind === 'set') set.kind = 'map';
  }
  if (key.length === 0) c.error('nft-expected-value', c.tok, 'a set type needs at least one data type');
}
