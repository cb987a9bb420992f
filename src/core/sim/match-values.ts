/**
 * The value grammar of iptables matches, shared by the rule fields and the
 * match modules: addresses and prefixes, `eth+` wildcards, port ranges,
 * `value/mask` marks, `!` — and the partial verdict one match gives.
 */
import type { Prefix } from '../net/ipv4';
import { parsePrefix } from '../net/ipv4';
import type { Match, Option, Target } from '../model/netfilter';

/** One match's verdict before the rule combines them: yes/no, an assumption with the value taken, or a probability (statistic). */
export type MatchVerdict = boolean | { assume: string; value: boolean } | { p: number };

/** Protocol numbers iptables-save may print instead of names. */
export const PROTO_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '132': 'sctp' };

const prefixCache = new Map<string, Prefix | null>();

/** Parses an address field (`10.0.0.0/8`, `10.0.0.1`), cached: the hot path sees the same strings again and again. */
export function prefixOf(s: string): Prefix | undefined {
  let p = prefixCache.get(s);
  if (p === undefined) {
    const q = parsePrefix(s);
    p = q ? { addr: q.addr, len: q.len } : null;
    if (prefixCache.size > 100000) prefixCache.clear();
    prefixCache.set(s, p);
  }
  return p ?? undefined;
}

/** `eth+` matches every name starting with `eth`; otherwise names must be equal. */
export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** `53`, `1000:2000`, `:1024`, `1024:` against a port. */
export function portMatches(spec: string, port: number | undefined): boolean {
  if (port === undefined) return false;
  const c = spec.indexOf(':');
  if (c < 0) return Number(spec) === port;
  const lo = c === 0 ? 0 : Number(spec.slice(0, c));
  const hi = c === spec.length - 1 ? 65535 : Number(spec.slice(c + 1));
  return port >= lo && port <= hi;
}

/** `value[/mask]` as two unsigned numbers (mask defaults to all ones). */
export function valueMask(s: string): { value: number; mask: number } {
  const slash = s.indexOf('/');
  const value = Number(slash < 0 ? s : s.slice(0, slash)) >>> 0;
  const mask = slash < 0 ? 0xffffffff : Number(s.slice(slash + 1)) >>> 0;
  return { value, mask };
}


/** `v`, or its opposite under `!`. */
export function neg(n: boolean, v: boolean): boolean {
  return n ? !v : v;
}

/** The first option of a match or target named one of `names`. */
export function opt(m: Match | Target, ...names: string[]): Option | undefined {
  for (const o of m.options) if (names.includes(o.name)) return o;
  return undefined;
}

