/**
 * Prefixes of both families (`10.244.0.0/16`, `fd00:10:244::/64`), in the
 * manner of Go's `net/netip.Prefix`: an address with its host bits cleared and
 * a length. The family is the address's. Containment, overlap, masks and the
 * netmask forms IPv4 tools print (`255.255.255.0`, `0xffffff00`) are here.
 */
import { Addr, parseAddr, parseIPv4 } from './addr';

/** A prefix: `addr` has no bits set past `len`; `len` is 0 … 32 (IPv4) or 0 … 128 (IPv6). */
export interface Prefix {
  readonly addr: Addr;
  readonly len: number;
}

/** The IPv4 netmask word of a prefix length (`24` → 0xffffff00). */
function mask32(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

/** The mask word for word `i` (0 = most significant) of a 128-bit prefix of length `len`. */
function maskWord(len: number, i: number): number {
  return mask32(len - 32 * i);
}

/** `a` with every bit past `len` cleared. */
export function maskAddr(a: Addr, len: number): Addr {
  if (a.family === 'ipv4') return Addr.v4(a.w3 & mask32(len));
  return Addr.v6(a.w0 & maskWord(len, 0), a.w1 & maskWord(len, 1), a.w2 & maskWord(len, 2), a.w3 & maskWord(len, 3));
}

/** The prefix of length `len` holding `a` (host bits cleared); `len` is clamped to the family's range. */
export function prefix(a: Addr, len: number): Prefix {
  const l = Math.max(0, Math.min(a.bitLen, len));
  return { addr: maskAddr(a, l), len: l };
}

/** Whether `a` falls inside `p` (never across families). */
export function contains(p: Prefix, a: Addr): boolean {
  const b = p.addr;
  if (a.family !== b.family) return false;
  const len = p.len;
  if (b.family === 'ipv4') return len === 0 || (a.w3 ^ b.w3) >>> (32 - len) === 0;
  return (
    ((a.w0 ^ b.w0) & maskWord(len, 0)) === 0 &&
    ((a.w1 ^ b.w1) & maskWord(len, 1)) === 0 &&
    ((a.w2 ^ b.w2) & maskWord(len, 2)) === 0 &&
    ((a.w3 ^ b.w3) & maskWord(len, 3)) === 0
  );
}

/** Whether prefix `inner` lies entirely inside `outer`. */
export function covers(outer: Prefix, inner: Prefix): boolean {
  return inner.len >= outer.len && contains(outer, inner.addr);
}

/** Whether two prefixes share any address. */
export function overlaps(a: Prefix, b: Prefix): boolean {
  return covers(a, b) || covers(b, a);
}

/** Whether two prefixes are the same network. */
export function samePrefix(a: Prefix, b: Prefix): boolean {
  return a.addr === b.addr && a.len === b.len;
}

/** Whether `p` is a single address (/32, /128). */
export function isSingleAddr(p: Prefix): boolean {
  return p.len === p.addr.bitLen;
}

/** `10.244.0.0/16`, `fd00::/64`. */
export function formatPrefix(p: Prefix): string {
  return `${p.addr}/${p.len}`;
}

/** The netmask of an IPv4 prefix length, as an address (`/24` → 255.255.255.0). */
export function netmaskOf(len: number): Addr {
  return Addr.v4(mask32(len));
}

/**
 * Prefix length of an IPv4 netmask written as an address (`255.255.255.0`) or as
 * `ifconfig` on BSD prints it (`0xffffff00`); undefined when it is neither or has holes.
 */
export function lenOfNetmask(s: string): number | undefined {
  const a = parseIPv4(s);
  let m: number;
  if (a) m = a.w3;
  else if (/^0x[0-9a-f]{8}$/i.test(s)) m = Number(s) >>> 0;
  else return undefined;
  const inv = ~m >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined;
  let len = 32;
  for (let x = inv; x !== 0; x >>>= 1) len--;
  return len;
}

/**
 * Parses `ADDR/LEN`, `a.b.c.d/255.255.0.0` or a bare address (a /32 or /128).
 * `ip` is the address as written and `hostBits` whether it had bits past the
 * prefix (`10.244.0.1/24`): right in `ip addr`, suspicious in a CIDR field.
 */
export function parsePrefix(s: string): (Prefix & { hostBits: boolean; ip: Addr }) | undefined {
  const slash = s.indexOf('/');
  const ip = parseAddr(slash < 0 ? s : s.slice(0, slash));
  if (ip === undefined) return undefined;
  let len = ip.bitLen as number;
  if (slash >= 0) {
    const l = s.slice(slash + 1);
    if (/^\d{1,3}$/.test(l)) {
      len = Number(l);
      if (len > ip.bitLen) return undefined;
    } else {
      const ml = ip.family === 'ipv4' ? lenOfNetmask(l) : undefined;
      if (ml === undefined || l.startsWith('0x')) return undefined;
      len = ml;
    }
  }
  const p = prefix(ip, len);
  return { addr: p.addr, len: p.len, ip, hostBits: p.addr !== ip };
}

/** Parses a prefix, keeping only the network (`10.0.0.0/8`); undefined when it is not one. */
export function parseCidr(s: string): Prefix | undefined {
  const p = parsePrefix(s);
  return p ? { addr: p.addr, len: p.len } : undefined;
}

/** First address after the network address (network + 1): the address kubenet gives the bridge. */
export function firstHost(p: Prefix): Addr {
  if (p.addr.family === 'ipv4') return Addr.v4(p.addr.w3 + 1);
  const a = p.addr;
  return Addr.v6(a.w0, a.w1, a.w2, a.w3 + 1);
}

/** The IPv4 directed broadcast address of a prefix (`10.244.0.0/24` → 10.244.0.255); undefined for IPv6, which has none. */
export function broadcastOf(p: Prefix): Addr | undefined {
  if (p.addr.family !== 'ipv4') return undefined;
  return Addr.v4(p.addr.w3 | (~mask32(p.len) >>> 0));
}

/** The whole IPv4 space, 0.0.0.0/0 (`default` in an IPv4 route table). */
export const ANY_V4: Prefix = Object.freeze({ addr: Addr.v4(0), len: 0 });
/** The whole IPv6 space, ::/0 (`default` in `ip -6 route`). */
export const ANY_V6: Prefix = Object.freeze({ addr: Addr.v6(0, 0, 0, 0), len: 0 });
/** 127.0.0.0/8: every address in it is local to any host. */
export const LOOPBACK_NET_V4: Prefix = Object.freeze({ addr: Addr.v4(0x7f000000), len: 8 });

/** The whole space of a family (`default`). */
export function anyOf(family: 'ipv4' | 'ipv6'): Prefix {
  return family === 'ipv4' ? ANY_V4 : ANY_V6;
}
