/**
 * IPv4 addresses and prefixes as unsigned 32-bit numbers: the representation the
 * simulator's hot path works on (a route lookup or a rule match is integer
 * arithmetic, not string handling).
 */

/** An IPv4 address as an unsigned 32-bit integer (0 … 2^32−1). */
export type IPv4 = number;

/** An IPv4 prefix (`10.244.0.0/16`): network address with host bits cleared, and length. */
export interface Prefix {
  addr: IPv4;
  len: number;
}

/** Parses dotted-quad `a.b.c.d`; undefined when it is not exactly that (no leading zeros rule: accepted as decimal). */
export function parseIPv4(s: string): IPv4 | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      digits++;
      if (digits > 3 || part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (n * 256 + part) >>> 0;
}

/** Formats an address as dotted quad. */
export function formatIPv4(a: IPv4): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** The netmask of a prefix length, as an address (`/24` → 255.255.255.0). */
export function maskOf(len: number): IPv4 {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Prefix length of a contiguous netmask (`255.255.255.0` → 24); undefined when the mask has holes. */
export function lenOfMask(mask: IPv4): number | undefined {
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined;
  let len = 32;
  for (let m = inv; m !== 0; m >>>= 1) len--;
  return len;
}

/** Builds a prefix, clearing host bits. */
export function prefix(addr: IPv4, len: number): Prefix {
  return { addr: (addr & maskOf(len)) >>> 0, len };
}

/**
 * Parses `a.b.c.d/len`, `a.b.c.d/255.255.0.0` or a bare address (/32).
 * `hostBits` reports whether the address had bits set beyond the prefix
 * (`10.244.0.1/24`), which is legal in `ip addr` but suspicious in a CIDR field.
 */
export function parsePrefix(s: string): (Prefix & { hostBits: boolean; ip: IPv4 }) | undefined {
  const slash = s.indexOf('/');
  const ip = parseIPv4(slash < 0 ? s : s.slice(0, slash));
  if (ip === undefined) return undefined;
  let len = 32;
  if (slash >= 0) {
    const l = s.slice(slash + 1);
    if (/^\d{1,2}$/.test(l)) {
      len = Number(l);
      if (len > 32) return undefined;
    } else {
      const m = parseIPv4(l);
      if (m === undefined) return undefined;
      const ml = lenOfMask(m);
      if (ml === undefined) return undefined;
      len = ml;
    }
  }
  const p = prefix(ip, len);
  return { ...p, ip, hostBits: p.addr !== ip };
}

/** Whether `a` falls inside `p`. */
export function contains(p: Prefix, a: IPv4): boolean {
  return ((a & maskOf(p.len)) >>> 0) === p.addr;
}

/** Whether prefix `inner` lies entirely inside `outer`. */
export function covers(outer: Prefix, inner: Prefix): boolean {
  return inner.len >= outer.len && contains(outer, inner.addr);
}

/** Whether two prefixes share any address. */
export function overlaps(a: Prefix, b: Prefix): boolean {
  return covers(a, b) || covers(b, a);
}

/** `10.244.0.0/16` */
export function formatPrefix(p: Prefix): string {
  return `${formatIPv4(p.addr)}/${p.len}`;
}

/** First usable host of a prefix (network + 1), the address kubenet gives the bridge. */
export function firstHost(p: Prefix): IPv4 {
  return (p.addr + 1) >>> 0;
}

/** Broadcast address of a prefix. */
export function broadcastOf(p: Prefix): IPv4 {
  return (p.addr | (~maskOf(p.len) >>> 0)) >>> 0;
}

/** The whole address space, 0.0.0.0/0. */
export const ANY: Prefix = Object.freeze({ addr: 0, len: 0 });
