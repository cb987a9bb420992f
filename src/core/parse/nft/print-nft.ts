/**
 * Prints a parsed rule back in `nft list ruleset`'s spelling. A rule read from
 * `nft list` output prints back as the text it came from, which is how the
 * tests check that the parser understood every part of it.
 */
import type { NftElement, NftExpr, NftRule, NftStmt, NftVerdict } from '../../model/nftables';

// The meta keys nft prints without `meta` (meta_key_is_unqualified in nft's meta.c).
const UNQUALIFIED_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup']);

/** The rule as `nft list ruleset` prints it (without its handle). */
export function printNftRule(r: NftRule): string {
  const parts = r.stmts.map(printStmt);
  if (r.comment !== undefined) parts.push(`comment ${quote(r.comment)}`);
  return parts.join(' ');
}

/** A statement as nft prints it. */
export function printStmt(s: NftStmt): string {
  switch (s.kind) {
    case 'match':
      if (s.slash && s.left.kind === 'binop') return `${printExpr(s.left.left)} ${printExpr(s.right)} / ${printExpr(s.left.right)}`;
      // nft writes `==` only after a bit operation (`meta mark & 0x4000 == 0x0`).
      return `${printExpr(s.left)}${s.op === '==' && s.left.kind !== 'binop' ? '' : ` ${s.op}`} ${printExpr(s.right)}`;
    case 'verdict': return printVerdict(s.verdict);
    case 'vmap': return `${printExpr(s.key)} vmap ${printExpr(s.map)}`;
    case 'nat': {
      const fam = s.family ? ` ${s.family}` : '';
      const to = s.mapKey ? ` to ${printExpr(s.mapKey)} map ${s.map ? printExpr(s.map) : ''}` : s.to !== undefined ? ` to ${s.to}` : '';
      return `${s.type}${fam}${to}${s.flags.length ? ` ${s.flags.join(' ')}` : ''}`;
    }
    case 'set': return `${printExpr(s.target)} set ${printExpr(s.value)}`;
    case 'dynset': return `${s.op} @${s.set} { ${printExpr(s.key)}${s.timeout !== undefined ? ` timeout ${s.timeout}` : ''} }`;
    case 'counter': return `counter${s.name !== undefined ? ` name ${quote(s.name)}` : ''}${s.packets !== undefined ? ` packets ${s.packets}` : ''}${s.bytes !== undefined ? ` bytes ${s.bytes}` : ''}`;
    case 'log': return ['log', ...Object.entries(s.options).map(([k, v]) => `${k} ${k === 'prefix' ? quote(v) : v}`)].join(' ');
    case 'limit': return `limit ${s.rate.startsWith('name ') ? s.rate : `rate ${s.over ? 'over ' : ''}${s.rate}`}${s.burst ? ` burst ${s.burst}` : ''}`;
    case 'notrack': return 'notrack';
    case 'xt': return `xt ${s.type} ${s.name}`;
    case 'unknown': return s.text;
  }
}

/** An expression as nft prints it. */
export function printExpr(e: NftExpr): string {
  switch (e.kind) {
    case 'payload': return `${e.protocol} ${e.field}`;
    case 'meta': return UNQUALIFIED_META.has(e.key) ? e.key : `meta ${e.key}`;
    case 'ct': return ['ct', e.direction, e.protocol, e.key].filter(Boolean).join(' ');
    case 'fib': return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'numgen': return `numgen ${e.mode} mod ${e.modulus}${e.offset ? ` offset ${e.offset}` : ''}`;
    case 'hash': return `${e.fn}${e.input ? ` ${printExpr(e.input)}` : ''} mod ${e.modulus}${e.seed ? ` seed ${e.seed}` : ''}${e.offset ? ` offset ${e.offset}` : ''}`;
    case 'concat': return e.parts.map(printExpr).join(' . ');
    case 'binop': return `${printExpr(e.left)} ${e.op} ${printExpr(e.right)}`;
    case 'value': return e.quoted ? quote(e.text) : e.text;
    case 'list': return e.items.map(printExpr).join(',');
    case 'setref': return `@${e.name}`;
    case 'set': return `{ ${e.elements.map(printElement).join(', ')} }`;
    case 'other': return e.text;
  }
}

/** A verdict as nft prints it. */
export function printVerdict(v: NftVerdict): string {
  if (v.chain !== undefined) return `${v.kind} ${v.chain}`;
  if (v.detail !== undefined) return `${v.kind} ${v.kind === 'reject' ? 'with ' : ''}${v.detail}`;
  return v.kind;
}

/** A set element as nft prints it. */
export function printElement(e: NftElement): string {
  let s = e.key.join(' . ');
  if (e.timeout !== undefined) s += ` timeout ${e.timeout}`;
  if (e.expires !== undefined) s += ` expires ${e.expires}`;
  if (e.comment !== undefined) s += ` comment ${quote(e.comment)}`;
  if (e.data) s += ` : ${Array.isArray(e.data) ? e.data.join(' . ') : printVerdict(e.data)}`;
  return s;
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, (m) => `\\${m}`)}"`;
}
