/**
 * One nftables rule: statements up to the end of the line (or `;`, or the `}`
 * closing its chain). A match is `EXPR [op] VALUE`; `EXPR vmap …` looks a
 * verdict up; `EXPR set VALUE` writes a field; the rest begin with their own
 * word (`counter`, `log`, `limit`, `dnat`, `masquerade`, `update @s { … }`,
 * `xt match statistic`, verdicts). A statement this reader does not know is
 * kept as text to the end of the rule, with an issue at it.
 */
import type { NftExpr, NftOp, NftRule, NftStmt } from '../../model/nftables';
import type { NftCursor } from './nft-cursor';
import type { NftToken } from './nft-lex';
import { VERDICT_WORDS, parseExpr, parseValue, parseVerdict, startsExpr } from './parse-nft-expr';

const OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const WORD_OPS: Record<string, NftOp> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=' };
const NAT_FLAGS = new Set(['random', 'fully-random', 'persistent', 'netmap']);

/** Reads one rule at the current token; the cursor ends at the statement end. */
export function parseRule(c: NftCursor): NftRule {
  const first = c.tok;
  const stmts: NftStmt[] = [];
  let comment: string | undefined;
  while (!c.atStatementEnd()) {
    if (c.eatWord('comment')) {
      comment = c.tok.kind === 'string' || c.tok.kind === 'word' ? c.advance().text : '';
      continue;
    }
    const before = c.tok;
    const s = parseStatement(c);
    stmts.push(s);
    if (c.tok === before) c.advance(); // never loop on a token nothing could read
  }
  const last = c.prev.end >= first.start ? c.prev : first;
  const handle = c.handleAfter(last);
  return { stmts, ...(comment !== undefined ? { comment } : {}), ...(handle !== undefined ? { handle } : {}), span: c.span(first, last), text: c.textOf(first, last) };
}

function parseStatement(c: NftCursor): NftStmt {
  const t = c.tok;
  if (t.kind !== 'word') return parseMatchOrSet(c);
  const w = t.text;
  if (VERDICT_WORDS.has(w)) {
    const verdict = parseVerdict(c);
    return { kind: 'verdict', verdict, start: verdict.start, end: verdict.end };
  }
  switch (w) {
    case 'counter': return parseCounter(c);
    case 'log': return parseLog(c);
    case 'limit': return parseLimit(c);
    case 'notrack': c.advance(); return { kind: 'notrack', start: t.start, end: t.end };
    case 'dnat': case 'snat': return parseNat(c);
    case 'masquerade': case 'redirect': return parseNat(c);
    case 'xt': {
      c.advance();
      const type = c.isWord() ? c.advance().text : '';
      const name = c.tok.kind === 'word' || c.tok.kind === 'string' ? c.advance().text : '';
      c.report('nft-xt-expression', 'info', t, `xt ${type} ${name}: an iptables extension iptables-nft left untranslated; its rule is the same as in iptables-save`, c.prev);
      return { kind: 'xt', type, name, start: t.start, end: c.prev.end };
    }
    case 'update': case 'add': case 'delete':
      if (c.peek().kind === 'punct' && c.peek().text === '@') return parseDynset(c);
      break;
  }
  if (startsExpr(c) || /^[0-9]/.test(w)) return parseMatchOrSet(c);
  return unknown(c, t);
}

/** `EXPR set VALUE`, `EXPR vmap MAP`, or a match `EXPR [op] VALUE`. */
function parseMatchOrSet(c: NftCursor): NftStmt {
  const t = c.tok;
  if (!startsExpr(c)) return unknown(c, t);
  let left = parseExpr(c);
  if (c.eatWord('set')) {
    const value = parseExpr(c);
    return { kind: 'set', target: left, value, start: t.start, end: value.end };
  }
  if (c.eatWord('vmap')) {
    const map = parseValue(c, false);
    return { kind: 'vmap', key: left, map, start: t.start, end: map.end };
  }
  let op: NftOp = '==';
  if (c.tok.kind === 'punct' && OPS.has(c.tok.text)) op = c.advance().text as NftOp;
  else if (c.isWord() && WORD_OPS[c.tok.text] && !c.atStatementEnd()) op = WORD_OPS[c.advance().text];
  else if (c.tok.kind === 'punct' && c.tok.text === '!') {
    c.advance();
    op = '!=';
  }
  if (c.atStatementEnd()) {
    // `tcp dport` with nothing to compare: nft cannot print this; keep it, say so.
    c.report('nft-expected-value', 'error', c.tok, 'expected a value to compare with');
    return { kind: 'match', left, op, right: { kind: 'value', text: '', quoted: false, start: c.tok.start, end: c.tok.start }, start: t.start, end: c.prev.end };
  }
  const right = parseValue(c, true);
  // `tcp flags syn / syn,ack`: the flags under the mask syn,ack are exactly syn.
  if (c.isWord('/')) {
    c.advance();
    const mask = parseValue(c, true);
    left = { kind: 'binop', op: '&', left, right: mask, start: left.start, end: mask.end };
    return { kind: 'match', left, op, right, slash: true, start: t.start, end: mask.end };
  }
  return { kind: 'match', left, op, right, start: t.start, end: right.end };
}

function parseCounter(c: NftCursor): NftStmt {
  const t = c.advance();
  const s: NftStmt & { kind: 'counter' } = { kind: 'counter', start: t.start, end: t.end };
  for (;;) {
    if (c.eatWord('name')) s.name = c.tok.kind === 'word' || c.tok.kind === 'string' ? c.advance().text : '';
    else if (c.eatWord('packets')) s.packets = Number(c.isWord() ? c.advance().text : NaN);
    else if (c.eatWord('bytes')) s.bytes = Number(c.isWord() ? c.advance().text : NaN);
    else break;
  }
  s.end = c.prev.end;
  return s;
}

function parseLog(c: NftCursor): NftStmt {
  const t = c.advance();
  const options: Record<string, string> = {};
  const keys = new Set(['prefix', 'level', 'group', 'snaplen', 'queue-threshold', 'flags']);
  while (c.isWord() && keys.has(c.tok.text)) {
    const k = c.advance().text;
    const v = c.tok.kind === 'word' || c.tok.kind === 'string' ? c.advance().text : '';
    let more = v;
    while (c.eatPunct(',')) if (c.isWord()) more += `,${c.advance().text}`;
    options[k] = more;
  }
  return { kind: 'log', options, start: t.start, end: c.prev.end };
}

/** `limit rate [over] 10/second [burst 5 packets]`, `limit rate 1 mbytes/second`, `limit name x`. */
function parseLimit(c: NftCursor): NftStmt {
  const t = c.advance();
  let over = false;
  let rate = '';
  let burst: string | undefined;
  if (c.eatWord('name')) rate = `name ${c.tok.kind === 'word' || c.tok.kind === 'string' ? c.advance().text : ''}`;
  else if (c.eatWord('rate')) {
    if (c.eatWord('over')) over = true;
    else c.eatWord('until');
    rate = c.isWord() ? c.advance().text : '';
    if (!rate.includes('/') && c.isWord() && c.tok.text.includes('/')) rate += ` ${c.advance().text}`;
    if (c.eatWord('burst')) burst = `${c.isWord() ? c.advance().text : ''}${c.isWord('packets') || c.isWord('bytes') || c.isWord('kbytes') || c.isWord('mbytes') ? ` ${c.advance().text}` : ''}`;
  }
  if (!rate) c.report('nft-expected-value', 'error', t, 'limit without a rate');
  return { kind: 'limit', rate, over, ...(burst ? { burst } : {}), start: t.start, end: c.prev.end };
}

/**
 * `dnat [ip|ip6] to ADDR[:PORT]`, `dnat to EXPR map { … }`, `snat to …`,
 * `masquerade [to :PORT] [random|fully-random|persistent]`, `redirect [to :PORT]`.
 */
function parseNat(c: NftCursor): NftStmt {
  const t = c.advance();
  const type = t.text as 'dnat' | 'snat' | 'masquerade' | 'redirect';
  const s: NftStmt & { kind: 'nat' } = { kind: 'nat', type, flags: [], start: t.start, end: t.end };
  if ((c.isWord('ip') || c.isWord('ip6')) && (c.peek().text === 'to' || c.peek().text === 'addr' || c.peek().text === 'prefix')) s.family = c.advance().text;
  c.eatWord('addr'); // `dnat ip addr . port to …` (nft 1.0.3+): the map's data is address . port
  c.eatWord('.');
  c.eatWord('port');
  c.eatWord('prefix');
  if (c.eatWord('to')) {
    if (startsExpr(c) && !c.tok.text.startsWith('@')) {
      s.mapKey = parseExpr(c);
      if (c.eatWord('map')) s.map = parseValue(c, false);
      else c.report('nft-expected-value', 'error', c.tok, `${type} to an expression needs "map"`);
    } else if (c.isWord()) s.to = c.advance().text;
    else c.report('nft-expected-value', 'error', c.tok, `${type} to what?`);
  } else if (type === 'dnat' || type === 'snat') c.report('nft-expected-value', 'error', c.tok, `${type} needs "to"`);
  while (c.isWord() && NAT_FLAGS.has(c.tok.text)) {
    s.flags.push(c.advance().text);
    while (c.eatPunct(',')) if (c.isWord()) s.flags.push(c.advance().text);
  }
  s.end = c.prev.end;
  return s;
}

/** `update @affinity-x { ip saddr [timeout 3h] }`, `add @s { ip saddr . tcp dport }`. */
function parseDynset(c: NftCursor): NftStmt {
  const t = c.advance();
  c.advance(); // '@'
  const set = c.name('a set name') ?? '';
  let key: NftExpr = { kind: 'value', text: '', quoted: false, start: c.tok.start, end: c.tok.start };
  let timeout: string | undefined;
  if (c.isPunct('{')) {
    const open = c.advance();
    if (startsExpr(c)) key = parseExpr(c);
    if (c.eatWord('timeout')) timeout = c.isWord() ? c.advance().text : '';
    if (!c.eatPunct('}')) {
      c.error('nft-unbalanced-brace', open, '"{" never closed');
      c.skipStatement();
    }
  } else c.report('nft-expected-value', 'error', c.tok, `${t.text} @${set} needs "{ expression }"`);
  return { kind: 'dynset', op: t.text, set, key, ...(timeout !== undefined ? { timeout } : {}), start: t.start, end: c.prev.end };
}

/** A statement nothing here reads: the rest of the rule, as text, with an issue. */
function unknown(c: NftCursor, t: NftToken): NftStmt {
  let last = t;
  let depth = 0;
  // A rule ends at its line's end even inside braces it opened (a `{` never closed must not swallow the file).
  while (c.tok.kind !== 'eof' && c.tok.kind !== 'nl' && (depth > 0 || !c.atStatementEnd())) {
    if (c.isPunct('{')) depth++;
    else if (c.isPunct('}')) depth--;
    last = c.advance();
  }
  c.report('nft-unknown-statement', 'warning', t, `"${t.text}": a statement this reader does not know; the rule is kept as text and a trace states it as an assumption`, last);
  return { kind: 'unknown', text: c.textOf(t, last), start: t.start, end: last.end };
}
