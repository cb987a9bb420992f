/**
 * nftables expressions: what a rule reads from the packet (`ip saddr`,
 * `meta l4proto`, `ct state`, `fib daddr . iif type`, `numgen random mod 2`,
 * `jhash ip saddr mod 2`), concatenations and bit operations on them, and the
 * constants, lists, set references and anonymous sets they are compared with.
 */
import type { NftElement, NftExpr, NftVerdict } from '../../model/nftables';
import type { NftCursor } from './nft-cursor';
import type { NftToken } from './nft-lex';

/** Protocols whose header fields are payload expressions (`tcp dport`, `ip6 nexthdr`, `ether saddr`). */
const PAYLOAD = new Set([
  'ip', 'ip6', 'tcp', 'udp', 'udplite', 'sctp', 'dccp', 'th', 'icmp', 'icmpv6', 'igmp', 'ether', 'vlan', 'arp',
  'ah', 'esp', 'comp', 'gre', 'geneve', 'vxlan', 'dst', 'frag', 'hbh', 'mh', 'srh', 'cgroupv2',
]);

/** Meta keys nft prints without `meta` in front. */
const BARE_META = new Set([
  'iifname', 'oifname', 'iif', 'oif', 'iiftype', 'oiftype', 'iifgroup', 'oifgroup', 'mark', 'l4proto', 'nfproto',
  'pkttype', 'skuid', 'skgid', 'cpu', 'cgroup', 'ibrname', 'obrname', 'ibriport', 'obriport', 'rtclassid', 'sdif', 'sdifname',
]);

/** Expressions that are recognised, but whose value the simulator cannot know (kept as text). */
const OTHER = new Set(['rt', 'socket', 'osf', 'ipsec', 'exthdr', 'tunnel', 'xfrm', 'inner']);

const BITOP: Record<string, '&' | '|' | '^' | '<<' | '>>'> = { '&': '&', '|': '|', '^': '^', '<<': '<<', '>>': '>>', and: '&', or: '|', xor: '^', lshift: '<<', rshift: '>>' };

/** Words that begin a verdict. */
export const VERDICT_WORDS = new Set(['accept', 'drop', 'continue', 'return', 'jump', 'goto', 'queue', 'reject']);

/** The current token begins an expression read from the packet (not a constant). */
export function startsExpr(c: NftCursor): boolean {
  if (c.tok.kind !== 'word') return false;
  const w = c.tok.text;
  return PAYLOAD.has(w) || BARE_META.has(w) || OTHER.has(w) || w === 'meta' || w === 'ct' || w === 'fib' || w === 'numgen' || w === 'jhash' || w === 'symhash' || w.startsWith('@');
}

/** `a . b . c` of packet expressions, each possibly with a bit operation (`meta mark & 0x4000`). */
export function parseExpr(c: NftCursor): NftExpr {
  const first = parseBitExpr(c);
  if (!c.isWord('.')) return first;
  const parts = [first];
  while (c.eatWord('.')) parts.push(parseBitExpr(c));
  return { kind: 'concat', parts, start: first.start, end: parts[parts.length - 1].end };
}

function parseBitExpr(c: NftCursor): NftExpr {
  let left = parsePrimary(c);
  for (;;) {
    const op = (c.tok.kind === 'punct' || c.tok.kind === 'word') ? BITOP[c.tok.text] : undefined;
    if (!op) return left;
    c.advance();
    const right = parseValue(c, false);
    left = { kind: 'binop', op, left, right, start: left.start, end: right.end };
  }
}

/** One packet expression. An unknown word becomes an `other` expression with an issue. */
function parsePrimary(c: NftCursor): NftExpr {
  const t = c.tok;
  const w = t.text;
  if (t.kind !== 'word') return parseValue(c, false);
  if (w === 'meta') {
    c.advance();
    const key = c.isWord() ? c.advance().text : '';
    return { kind: 'meta', key, start: t.start, end: c.prev.end };
  }
  if (BARE_META.has(w)) {
    c.advance();
    return { kind: 'meta', key: w, start: t.start, end: t.end };
  }
  if (w === 'ct') return parseCt(c);
  if (w === 'fib') {
    c.advance();
    const flags: string[] = [];
    if (c.isWord()) flags.push(c.advance().text);
    while (c.eatWord('.')) if (c.isWord()) flags.push(c.advance().text);
    const result = c.isWord() ? c.advance().text : '';
    return { kind: 'fib', flags, result, start: t.start, end: c.prev.end };
  }
  if (w === 'numgen') {
    c.advance();
    const mode = c.isWord() ? c.advance().text : '';
    const { modulus, offset } = modOffset(c);
    return { kind: 'numgen', mode, modulus, offset, start: t.start, end: c.prev.end };
  }
  if (w === 'jhash' || w === 'symhash') {
    c.advance();
    const input = w === 'jhash' && !c.isWord('mod') ? parseExpr(c) : undefined;
    const { modulus, offset, seed } = modOffset(c);
    return { kind: 'hash', fn: w, ...(input ? { input } : {}), modulus, ...(seed ? { seed } : {}), offset, start: t.start, end: c.prev.end };
  }
  if (PAYLOAD.has(w) && c.peek().kind === 'word') {
    c.advance();
    let field = c.advance().text;
    // `tcp option maxseg size`, `ip option rr type`: an option name and its field.
    if (field === 'option' && c.isWord()) field += ` ${c.advance().text}${c.isWord() && !startsExpr(c) ? ` ${c.advance().text}` : ''}`;
    return { kind: 'payload', protocol: w, field, start: t.start, end: c.prev.end };
  }
  if (OTHER.has(w) || w.startsWith('@')) {
    c.advance();
    while (c.isWord() && !startsExpr(c) && !isStatementWord(c.tok.text) && !c.isWord('.') && !/^[0-9]/.test(c.tok.text)) c.advance();
    c.report('nft-unmodelled-expression', 'info', t, `${w}: read, but the simulator cannot know its value`, c.prev);
    return { kind: 'other', text: c.textOf(t, c.prev), start: t.start, end: c.prev.end };
  }
  return parseValue(c, false);
}

/** `ct state`, `ct mark`, `ct original ip daddr`, `ct reply proto-src`. */
function parseCt(c: NftCursor): NftExpr {
  const t = c.advance();
  let direction: 'original' | 'reply' | undefined;
  if (c.isWord('original') || c.isWord('reply')) direction = c.advance().text as 'original' | 'reply';
  let protocol: string | undefined;
  if ((c.isWord('ip') || c.isWord('ip6')) && c.peek().kind === 'word') protocol = c.advance().text;
  const key = c.isWord() ? c.advance().text : '';
  return { kind: 'ct', key, ...(direction ? { direction } : {}), ...(protocol ? { protocol } : {}), start: t.start, end: c.prev.end };
}

/** `mod N [seed S] [offset M]` after numgen / jhash / symhash. */
function modOffset(c: NftCursor): { modulus: number; offset: number; seed?: string } {
  let modulus = 0;
  let offset = 0;
  let seed: string | undefined;
  for (;;) {
    if (c.eatWord('mod')) modulus = num(c);
    else if (c.eatWord('offset')) offset = num(c);
    else if (c.eatWord('seed')) seed = c.isWord() ? c.advance().text : undefined;
    else break;
  }
  if (!(modulus > 0)) c.report('nft-bad-modulus', 'error', c.prev, 'expected `mod N` with N > 0');
  return { modulus, offset, ...(seed ? { seed } : {}) };
}

function num(c: NftCursor): number {
  if (!c.isWord()) return NaN;
  const t = c.advance();
  const n = Number(t.text);
  if (!Number.isFinite(n)) c.report('nft-bad-number', 'error', t, `"${t.text}" is not a number`);
  return n;
}

/** Words that begin a statement rather than continuing an expression. */
export function isStatementWord(w: string): boolean {
  return VERDICT_WORDS.has(w) || w === 'counter' || w === 'log' || w === 'limit' || w === 'comment' || w === 'dnat' || w === 'snat'
    || w === 'masquerade' || w === 'redirect' || w === 'notrack' || w === 'vmap' || w === 'map' || w === 'set' || w === 'xt' || w === 'update';
}

/**
 * A constant: a word or string, `@set`, `{ … }`, `(a|b)`; with `list`, a comma
 * list (`established,related`); then a concatenation of constants (`10.0.0.1 . 80`).
 */
export function parseValue(c: NftCursor, list: boolean): NftExpr {
  const first = parseAtom(c);
  let v = first;
  if (list && c.isPunct(',')) {
    const items = [v];
    while (c.eatPunct(',')) items.push(parseAtom(c));
    v = { kind: 'list', items, start: first.start, end: items[items.length - 1].end };
  }
  if (!c.isWord('.')) return v;
  const parts = [v];
  while (c.eatWord('.')) parts.push(parseAtom(c));
  return { kind: 'concat', parts, start: v.start, end: parts[parts.length - 1].end };
}

function parseAtom(c: NftCursor): NftExpr {
  const t = c.tok;
  if (c.eatPunct('@')) {
    const name = c.tok.kind === 'word' || c.tok.kind === 'string' ? c.advance().text : '';
    if (!name) c.error('nft-expected-name', c.tok, 'expected a set name after "@"');
    return { kind: 'setref', name, start: t.start, end: c.prev.end };
  }
  if (c.isPunct('{')) return parseSetLiteral(c);
  if (c.eatPunct('(')) {
    // `(syn|ack)`, older nft's way of writing a flag mask.
    const items: NftExpr[] = [];
    while (!c.isPunct(')') && !c.atStatementEnd()) {
      if (c.eatPunct('|') || c.eatPunct(',')) continue;
      items.push(parseAtom(c));
    }
    if (!c.eatPunct(')')) c.error('nft-unbalanced-paren', t, '"(" never closed');
    return { kind: 'list', items, start: t.start, end: c.prev.end };
  }
  if (t.kind === 'word' || t.kind === 'string') {
    c.advance();
    if (t.unterminated) c.error('nft-unterminated-string', t, 'a quoted string with no closing quote');
    return { kind: 'value', text: t.text, quoted: t.kind === 'string', start: t.start, end: t.end };
  }
  c.error('nft-expected-value', t, t.kind === 'nl' || t.kind === 'eof' ? 'expected a value before the end of the line' : `expected a value, found "${t.text}"`);
  return { kind: 'value', text: '', quoted: false, start: t.start, end: t.start };
}

/** An anonymous set or map, `{ a, b }` / `{ 0 : goto x, 1 : goto y }`, read as elements. */
export function parseSetLiteral(c: NftCursor): NftExpr {
  const open = c.tok;
  const elements = parseElements(c);
  return { kind: 'set', elements, start: open.start, end: c.prev.end };
}

/**
 * `{ e, e, … }`: each element a key (`a . b . c`), then `timeout`, `expires`,
 * `comment`, `counter …` in any order, then `: data` in a map. Newlines inside
 * the braces end nothing. A `{` never closed is reported at the `{`.
 */
export function parseElements(c: NftCursor): NftElement[] {
  const open = c.advance();
  const out: NftElement[] = [];
  for (;;) {
    c.skipNewlines();
    if (c.eatPunct('}')) return out;
    if (c.tok.kind === 'eof') {
      c.error('nft-unbalanced-brace', open, '"{" never closed');
      return out;
    }
    if (c.eatPunct(',')) continue;
    const before = c.tok;
    const e = parseElement(c);
    if (e) out.push(e);
    if (c.tok === before) {
      // Nothing an element can start with: report it once and step over it.
      c.error('nft-bad-element', before, `"${before.text}" cannot start a set element`);
      c.advance();
    }
  }
}

function parseElement(c: NftCursor): NftElement | undefined {
  const t = c.tok;
  if (t.kind !== 'word' && t.kind !== 'string') return undefined;
  const key: string[] = [c.advance().text];
  while (c.isWord('.')) {
    c.advance();
    if (c.tok.kind === 'word' || c.tok.kind === 'string') key.push(c.advance().text);
    else c.error('nft-expected-value', c.tok, 'expected a value after "."');
  }
  const e: NftElement = { key, start: t.start, end: c.prev.end, line: t.line };
  for (;;) {
    if (c.eatWord('timeout')) e.timeout = c.isWord() ? c.advance().text : '';
    else if (c.eatWord('expires')) e.expires = c.isWord() ? c.advance().text : '';
    else if (c.eatWord('comment')) e.comment = c.tok.kind === 'string' || c.tok.kind === 'word' ? c.advance().text : '';
    else if (c.eatWord('counter')) {
      while (c.isWord('packets') || c.isWord('bytes')) {
        c.advance();
        if (c.isWord()) c.advance();
      }
    } else break;
  }
  // `nft list` always writes the colon of a map element with blanks around it (`80 : 10.0.0.5`).
  if (c.eatWord(':')) {
    if (c.isWord() && VERDICT_WORDS.has(c.tok.text)) e.data = parseVerdict(c);
    else {
      const data: string[] = [];
      if (c.tok.kind === 'word' || c.tok.kind === 'string') data.push(c.advance().text);
      while (c.eatWord('.')) if (c.tok.kind === 'word' || c.tok.kind === 'string') data.push(c.advance().text);
      if (data.length === 0) c.error('nft-expected-value', c.tok, 'expected the data of a map element after ":"');
      e.data = data;
    }
  }
  e.end = c.prev.end;
  return e;
}

/** A verdict at the current token (which is one of VERDICT_WORDS). */
export function parseVerdict(c: NftCursor): NftVerdict {
  const t = c.advance();
  const kind = t.text as NftVerdict['kind'];
  if (kind === 'jump' || kind === 'goto') {
    const chain = c.name(`the chain to ${kind} to`) ?? '';
    return { kind, chain, start: t.start, end: c.prev.end };
  }
  if (kind === 'reject' || kind === 'queue') {
    const first: NftToken = c.tok;
    // `reject with icmp host-prohibited`, `reject with tcp reset`; `queue flags bypass num 3`, `queue num 1-3 fanout`.
    const words = kind === 'reject' ? ['with'] : ['num', 'flags', 'bypass', 'fanout', 'to'];
    if (c.isWord() && words.includes(c.tok.text)) {
      while (c.isWord() && !isStatementWord(c.tok.text) && !(c.tok.text === 'comment')) {
        c.advance();
        while (c.eatPunct(',')) if (c.isWord()) c.advance();
      }
      return { kind, detail: c.textOf(first, c.prev).replace(/^with\s+/, ''), start: t.start, end: c.prev.end };
    }
  }
  return { kind, start: t.start, end: t.end };
}
