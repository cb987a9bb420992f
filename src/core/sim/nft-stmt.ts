/**
 * One nftables statement on the walk's packet: a match holds or not (or holds
 * with a probability: `meta random & 2147483647 < 1073741824`, iptables-nft's
 * `-m statistic`), a verdict map picks a verdict (numgen's N values each with
 * probability 1/N, values mapping to the same verdict added together), a NAT
 * statement rewrites and ends the chain, `mark set` changes marks.
 */
import type { NftAt, NftElement, NftExpr, NftSet, NftStmt, NftTable, NftVerdict } from '../model/nftables';

/** The text of an expression or statement as written in its rule. */
export type TextOf = (at: NftAt) => string;
import type { MatchContext } from './match-context';
import type { Target } from '../model/netfilter';
import { type Hint, type NftValue, absentIn, evalExpr, findElement, hintOf, hintsOf, partMatches, unknownIn } from './nft-eval';

/** What happens after a statement: go on to the next one, leave the rule, or a verdict. */
export type NftAct = { k: 'next' } | { k: 'fail' } | { k: 'verdict'; v: Pick<NftVerdict, 'kind' | 'chain' | 'detail'>; via?: string };

/** One way a statement can go, with its probability (1 unless random). */
export interface NftBranch {
  p: number;
  act: NftAct;
  /** Why this branch (`numgen value 0 of mod 2`), for the step's text. */
  label?: string;
}

/** A statement's result: its branches and what it assumed. */
export interface StmtResult {
  branches: NftBranch[];
  assumptions: string[];
}

const NEXT: NftAct = { k: 'next' };
const FAIL: NftAct = { k: 'fail' };
const one = (act: NftAct, assumptions: string[] = []): StmtResult => ({ branches: [{ p: 1, act }], assumptions });

/** The set a `@name` or `{ … }` stands for, with its elements. */
function setOf(table: NftTable, e: NftExpr): { owner: NftSet | NftExpr; elements: NftElement[]; set?: NftSet } | undefined {
  if (e.kind === 'set') return { owner: e, elements: e.elements };
  if (e.kind === 'setref') {
    const set = table.sets.get(e.name);
    return set ? { owner: set, elements: set.elements, set } : undefined;
  }
  return undefined;
}

/** Evaluates a match (`LEFT op RIGHT`). */
export function evalMatch(s: NftStmt & { kind: 'match' }, table: NftTable, cx: MatchContext, printExpr: TextOf): StmtResult {
  const random = randomShare(s);
  if (random !== undefined) return { branches: [{ p: random, act: NEXT }, { p: 1 - random, act: FAIL }].filter((b) => b.p > 0), assumptions: [] };
  const v = evalExpr(s.left, cx);
  const unk = unknownIn(v);
  if (unk) return one(NEXT, [`${unk} cannot be known offline: "${printExpr(s.left)}" taken as matching`]);
  // A header the packet does not have: nft's implicit protocol dependency fails, whatever the operator.
  if (absentIn(v)) return one(FAIL);
  const hints = hintsOf(s.left);
  const r = s.right;
  let holds: boolean;
  const assumptions: string[] = [];
  if (r.kind === 'set' || r.kind === 'setref') {
    const set = setOf(table, r);
    if (!set) return one(s.op === '!=' ? NEXT : FAIL, [`set @${r.kind === 'setref' ? r.name : ''} is not defined in table ${table.name}: taken as empty`]);
    if (set.set?.flags.includes('dynamic')) {
      assumptions.push(`@${set.set.name} is filled by packets (session affinity): empty for this first connection${set.elements.length ? ` (the dump's ${set.elements.length} elements are not used)` : ''}`);
      holds = false;
    } else holds = findElement(set.owner, set.elements, v, hints) !== undefined;
  } else if (s.op === '<' || s.op === '>' || s.op === '<=' || s.op === '>=') {
    const c = r.kind === 'value' ? constValue(r.text) : undefined;
    if (v.kind !== 'num' || c === undefined) return one(NEXT, [`"${printExpr(s.left)} ${s.op} ${printExpr(r)}" not evaluated: taken as matching`]);
    holds = s.op === '<' ? v.n < c : s.op === '>' ? v.n > c : s.op === '<=' ? v.n <= c : v.n >= c;
    return one(holds ? NEXT : FAIL);
  } else holds = constHolds(v, r, hints);
  if (s.op === '!=') holds = !holds;
  return one(holds ? NEXT : FAIL, assumptions);
}

/** `meta random & M < N`: the share of packets that match (iptables-nft's translation of `-m statistic --mode random`). */
function randomShare(s: NftStmt & { kind: 'match' }): number | undefined {
  const l = s.left;
  if (l.kind !== 'binop' || l.op !== '&' || l.left.kind !== 'meta' || l.left.key !== 'random' || s.op !== '<') return undefined;
  const mask = l.right.kind === 'value' ? Number(l.right.text) : NaN;
  const lim = s.right.kind === 'value' ? Number(s.right.text) : NaN;
  if (!(mask > 0) || !(lim >= 0)) return undefined;
  return Math.min(1, lim / (mask + 1));
}

/** A number written as nft prints it (`1024`, `0x00004000`). */
function constValue(text: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text, 16);
  if (/^\d+$/.test(text)) return Number(text);
  return undefined;
}

/** A value, list or concatenation of constants against the evaluated value. */
function constHolds(v: NftValue, r: NftExpr, hints: Hint[]): boolean {
  if (r.kind === 'value') return partMatches(v, r.text, hints[0]);
  if (r.kind === 'list') {
    // `ct state established,related`: any of them; for flags (`ct status dnat,snat`) all of them.
    if (v.kind === 'word' && v.flags) return r.items.every((i) => i.kind === 'value' && v.flags!.includes(i.text));
    return r.items.some((i) => constHolds(v, i, hints));
  }
  if (r.kind === 'concat' && v.kind === 'tuple') return r.parts.length === v.parts.length && r.parts.every((p, i) => constHolds(v.parts[i], p, [hints[i]]));
  return false;
}

/**
 * `KEY vmap @map` / `vmap { … }`: the verdict the key's value maps to. A
 * `numgen` key branches over its N values (each 1/N); a `jhash` key too, with
 * the assumption that the hash spreads evenly. No element: the rule does not match.
 */
export function evalVmap(s: NftStmt & { kind: 'vmap' }, table: NftTable, cx: MatchContext): StmtResult {
  const set = setOf(table, s.map);
  if (!set) return one(FAIL, [`verdict map @${s.map.kind === 'setref' ? s.map.name : '?'} is not defined in table ${table.name}: no verdict`]);
  const via = s.map.kind === 'setref' ? `@${s.map.name}` : 'vmap';
  const spread = spreadOf(s.key);
  if (spread) {
    const groups = new Map<string, NftBranch>();
    for (let i = 0; i < spread.n; i++) {
      const value = spread.offset + i;
      const e = findElement(set.owner, set.elements, { kind: 'num', n: value }, ['number']);
      const act: NftAct = e && e.data && !Array.isArray(e.data) ? { k: 'verdict', v: e.data, via } : FAIL;
      const key = act.k === 'verdict' ? `${act.v.kind} ${act.v.chain ?? ''}` : 'none';
      const g = groups.get(key);
      if (g) {
        g.p += 1 / spread.n;
        g.label += `,${value}`;
      } else groups.set(key, { p: 1 / spread.n, act, label: `${spread.what} = ${value}` });
    }
    return { branches: [...groups.values()], assumptions: spread.assume ? [spread.assume] : [] };
  }
  const v = evalExpr(s.key, cx);
  const unk = unknownIn(v);
  if (unk) return one(FAIL, [`${unk} cannot be known offline: the lookup in ${via} is taken as finding nothing`]);
  if (absentIn(v)) return one(FAIL);
  const e = findElement(set.owner, set.elements, v, hintsOf(s.key));
  if (!e || !e.data || Array.isArray(e.data)) return one(FAIL);
  return { branches: [{ p: 1, act: { k: 'verdict', v: e.data, via }, label: `${e.key.join(' . ')}${e.comment ? ` (${e.comment})` : ''}` }], assumptions: [] };
}

/** numgen / jhash / symhash keys: how many values, from which, and what is assumed. */
export function spreadOf(e: NftExpr): { n: number; offset: number; what: string; assume?: string } | undefined {
  if (e.kind === 'numgen' && e.modulus > 0) {
    return { n: e.modulus, offset: e.offset, what: `numgen ${e.mode}`, ...(e.mode === 'inc' ? { assume: 'numgen inc (round robin) taken as spreading connections evenly' } : {}) };
  }
  if (e.kind === 'hash' && e.modulus > 0) return { n: e.modulus, offset: e.offset, what: e.fn, assume: `${e.fn} taken as spreading flows evenly over its ${e.modulus} values` };
  return undefined;
}

/** The data a map gives for the key's value (`dnat to ip saddr map { … }`), one per branch for numgen/jhash keys. */
export function mapData(key: NftExpr, map: NftExpr, table: NftTable, cx: MatchContext, printExpr: TextOf): { p: number; data?: string[]; label: string }[] {
  const set = setOf(table, map);
  if (!set) return [{ p: 1, label: 'map not defined' }];
  const spread = spreadOf(key);
  if (spread) {
    const out: { p: number; data?: string[]; label: string }[] = [];
    for (let i = 0; i < spread.n; i++) {
      const e = findElement(set.owner, set.elements, { kind: 'num', n: spread.offset + i }, ['number']);
      out.push({ p: 1 / spread.n, data: e && Array.isArray(e.data) ? e.data : undefined, label: `${spread.what} = ${spread.offset + i}` });
    }
    return out;
  }
  const v = evalExpr(key, cx);
  const e = unknownIn(v) || absentIn(v) ? undefined : findElement(set.owner, set.elements, v, [hintOf(key)]);
  return [{ p: 1, data: e && Array.isArray(e.data) ? e.data : undefined, label: printExpr(key) }];
}

/** A NAT statement as the iptables target that does the same (the walk's NAT is shared with iptables). */
export function natTarget(type: string, to: string | undefined, flags: string[]): Target {
  const opt = (name: string, v?: string): { name: string; values: string[]; negated: boolean }[] => (v === undefined ? [] : [{ name, values: [v], negated: false }]);
  const port = to?.startsWith(':') ? to.slice(1) : undefined;
  switch (type) {
    case 'dnat': return { name: 'DNAT', options: opt('--to-destination', to), goto: false };
    case 'snat': return { name: 'SNAT', options: opt('--to-source', to), goto: false };
    case 'redirect': return { name: 'REDIRECT', options: opt('--to-ports', port), goto: false };
    default: return { name: 'MASQUERADE', options: [...opt('--to-ports', port), ...(flags.includes('fully-random') ? [{ name: '--random-fully', values: [], negated: false }] : [])], goto: false };
  }
}

/** `reject with icmp host-prohibited` → `icmp-host-prohibited`, as iptables' --reject-with names it. */
export function rejectWith(detail: string | undefined): string {
  if (!detail) return 'icmp-port-unreachable';
  if (/^tcp\s+reset/.test(detail)) return 'tcp-reset';
  const m = /^(?:icmp|icmpx)\s+(?:type\s+)?(\S+)/.exec(detail);
  if (!m) return 'icmp-port-unreachable';
  return m[1] === 'port-unreachable' || m[1] === 'host-unreachable' || m[1] === 'net-unreachable' || m[1] === 'host-prohibited' || m[1] === 'net-prohibited' || m[1] === 'admin-prohibited'
    ? `icmp-${m[1]}` : 'icmp-port-unreachable';
}
