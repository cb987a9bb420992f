/**
 * IP addresses of both families as one small value type, in the manner of Go's
 * `net/netip.Addr`: an address is interned (one object per address while
 * anything holds it), so `===` is equality and an address can key a `Map` or a
 * `Set` directly. Each object carries its family and its bits; IPv4 keeps its
 * 32-bit value as a plain number so that prefix tests on the simulator's hot
 * path stay integer arithmetic. Every shift and mask on addresses lives in this
 * folder (the linter forbids them elsewhere).
 */

/** The address family: `ipv4` (32 bits) or `ipv6` (128 bits). */
export type Family = 'ipv4' | 'ipv6';

/**
 * One IPv4 or IPv6 address. Obtain one with `parseAddr`/`parseIPv4`/`parseIPv6`
 * (or the constants below); never build one by hand. Two equal addresses are
 * the same object.
 */
export class Addr {
  /** `ipv4` or `ipv6`. */
  readonly family: Family;
  /** Bit length of the family: 32 or 128. */
  readonly bitLen: 32 | 128;
  /**
   * The bits as four unsigned 32-bit words, most significant first; an IPv4
   * address has only `w3`. For src/core/net only (the linter keeps them there).
   */
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
  private text: string | undefined;

  private constructor(family: Family, w0: number, w1: number, w2: number, w3: number) {
    this.family = family;
    this.bitLen = family === 'ipv4' ? 32 : 128;
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /** The interned IPv4 address with value `n` (taken modulo 2^32). */
  static v4(n: number): Addr {
    const v = n >>> 0;
    const hit = V4.get(v)?.deref();
    if (hit) return hit;
    const a = new Addr('ipv4', 0, 0, 0, v);
    V4.set(v, new WeakRef(a));
    GONE.register(a, v);
    return a;
  }

  /** The interned IPv6 address with these four 32-bit words, most significant first. */
  static v6(w0: number, w1: number, w2: number, w3: number): Addr {
    const k = `${w0 >>> 0}:${w1 >>> 0}:${w2 >>> 0}:${w3 >>> 0}`;
    const hit = V6.get(k)?.deref();
    if (hit) return hit;
    const a = new Addr('ipv6', w0 >>> 0, w1 >>> 0, w2 >>> 0, w3 >>> 0);
    V6.set(k, new WeakRef(a));
    GONE.register(a, k);
    return a;
  }

  /** Whether this is an IPv4 address. */
  get is4(): boolean {
    return this.family === 'ipv4';
  }

  /** Whether this is an IPv6 address. */
  get is6(): boolean {
    return this.family === 'ipv6';
  }

  /** Canonical text: dotted quad for IPv4, RFC 5952 for IPv6 (`fd00:10:244::5`, `::ffff:10.0.0.1`). */
  toString(): string {
    if (this.text === undefined) this.text = this.family === 'ipv4' ? dotted(this.w3) : formatV6(this);
    return this.text;
  }

  /** JSON carries the canonical text, never the words. */
  toJSON(): string {
    return this.toString();
  }
}

// Interning tables. Entries hold the address weakly, so addresses nothing uses
// any more (an edited file's old contents in a long-running editor) can go.
const V4 = new Map<number, WeakRef<Addr>>();
const V6 = new Map<string, WeakRef<Addr>>();
const GONE = new FinalizationRegistry<number | string>((k) => {
  // The key may already hold a newer object for the same address.
  if (typeof k === 'number') {
    if (V4.get(k)?.deref() === undefined) V4.delete(k);
  } else if (V6.get(k)?.deref() === undefined) V6.delete(k);
});

function dotted(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Parses dotted-quad `a.b.c.d` into its 32-bit value; undefined when it is not exactly that (leading zeros are read as decimal). */
function v4Value(s: string, from = 0, to = s.length): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
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

/** Parses an IPv4 dotted quad (`10.244.0.5`). */
export function parseIPv4(s: string): Addr | undefined {
  const v = v4Value(s);
  return v === undefined ? undefined : Addr.v4(v);
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Parses IPv6 text (RFC 4291 section 2.2): eight groups of up to four hex digits,
 * one `::` for a run of zero groups, optionally a dotted-quad tail
 * (`::ffff:10.0.0.1`). A zone (`fe80::1%eth0`) is not an address: undefined.
 */
export function parseIPv6(s: string): Addr | undefined {
  if (s.length < 2 || s.length > 45) return undefined;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (s.startsWith('::')) {
    gap = 0;
    i = 2;
    if (s.length === 2) return Addr.v6(0, 0, 0, 0);
  } else if (s.charCodeAt(0) === 58) {
    return undefined;
  }
  while (i < s.length) {
    // A dotted-quad tail takes the last two groups.
    let end = i;
    let v = 0;
    let dot = false;
    while (end < s.length && s.charCodeAt(end) !== 58) {
      if (s.charCodeAt(end) === 46) dot = true;
      end++;
    }
    if (dot) {
      if (end !== s.length || groups.length > 6) return undefined;
      const q = v4Value(s, i, end);
      if (q === undefined) return undefined;
      groups.push(q >>> 16, q & 0xffff);
      i = end;
      break;
    }
    if (end === i || end - i > 4) return undefined;
    for (let j = i; j < end; j++) {
      const d = hexDigit(s.charCodeAt(j));
      if (d < 0) return undefined;
      v = v * 16 + d;
    }
    groups.push(v);
    if (groups.length > 8) return undefined;
    i = end;
    if (i === s.length) break;
    // At a colon: `::` marks the gap (once), a single colon separates groups.
    i++;
    if (s.charCodeAt(i) === 58) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i++;
      if (i === s.length) break;
    } else if (i === s.length) {
      return undefined;
    }
  }
  if (gap < 0) {
    if (groups.length !== 8) return undefined;
  } else {
    if (groups.length > 7) return undefined;
    groups.splice(gap, 0, ...new Array<number>(8 - groups.length).fill(0));
  }
  const w = (k: number): number => ((groups[k] << 16) | groups[k + 1]) >>> 0;
  return Addr.v6(w(0), w(2), w(4), w(6));
}

/** Parses an address of either family; undefined when it is neither. */
export function parseAddr(s: string): Addr | undefined {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

/** The address as eight 16-bit groups. */
function groupsOf(a: Addr): number[] {
  return [a.w0 >>> 16, a.w0 & 0xffff, a.w1 >>> 16, a.w1 & 0xffff, a.w2 >>> 16, a.w2 & 0xffff, a.w3 >>> 16, a.w3 & 0xffff];
}

/**
 * RFC 5952 text: lower-case hex without leading zeros, the longest run of two or
 * more zero groups (the first of equal runs) written `::`, and an IPv4-mapped
 * address (`::ffff:0:0/96`) with its IPv4 part dotted (section 5).
 */
function formatV6(a: Addr): string {
  if (a.w0 === 0 && a.w1 === 0 && a.w2 === 0xffff) return `::ffff:${dotted(a.w3)}`;
  const g = groupsOf(a);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

/** The canonical text of an address (same as `String(a)`). */
export function formatAddr(a: Addr): string {
  return a.toString();
}

/** Orders addresses: IPv4 before IPv6, then numerically. */
export function compareAddr(a: Addr, b: Addr): number {
  if (a === b) return 0;
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  return a.w0 - b.w0 || a.w1 - b.w1 || a.w2 - b.w2 || a.w3 - b.w3;
}

/**
 * The address `n` positions after `a` (before, for negative `n`; |n| < 2^32), or
 * undefined past either end of the family's space. `10.96.0.0` + 10 → `10.96.0.10`.
 */
export function addrPlus(a: Addr, n: number): Addr | undefined {
  if (a.family === 'ipv4') {
    const v = a.w3 + n;
    return v < 0 || v > 0xffffffff ? undefined : Addr.v4(v);
  }
  const w = [a.w0, a.w1, a.w2, a.w3 + n];
  for (let i = 3; i > 0; i--) {
    while (w[i] < 0) {
      w[i] += 0x100000000;
      w[i - 1] -= 1;
    }
    while (w[i] > 0xffffffff) {
      w[i] -= 0x100000000;
      w[i - 1] += 1;
    }
  }
  if (w[0] < 0 || w[0] > 0xffffffff) return undefined;
  return Addr.v6(w[0], w[1], w[2], w[3]);
}

/** 0.0.0.0, the IPv4 unspecified address. */
export const UNSPECIFIED_V4 = Addr.v4(0);
/** `::`, the IPv6 unspecified address. */
export const UNSPECIFIED_V6 = Addr.v6(0, 0, 0, 0);
/** 127.0.0.1, what `lo` carries and REDIRECT uses for local packets. */
export const LOOPBACK_V4 = Addr.v4(0x7f000001);
/** `::1`. */
export const LOOPBACK_V6 = Addr.v6(0, 0, 0, 1);
/** 255.255.255.255, the limited broadcast address. */
export const BROADCAST_V4 = Addr.v4(0xffffffff);

/** The unspecified address of a family (`0.0.0.0`, `::`): a socket bound to "any". */
export function isUnspecified(a: Addr): boolean {
  return a.w0 === 0 && a.w1 === 0 && a.w2 === 0 && a.w3 === 0;
}

/** Loopback: 127.0.0.0/8 (RFC 1122), `::1` (RFC 4291). */
export function isLoopback(a: Addr): boolean {
  if (a.family === 'ipv4') return a.w3 >>> 24 === 127;
  return a === LOOPBACK_V6;
}

/** Link-local unicast: 169.254.0.0/16 (RFC 3927), fe80::/10 (RFC 4291). */
export function isLinkLocal(a: Addr): boolean {
  if (a.family === 'ipv4') return a.w3 >>> 16 === 0xa9fe;
  return a.w0 >>> 22 === 0x3fa;
}

/** Multicast: 224.0.0.0/4, ff00::/8. */
export function isMulticast(a: Addr): boolean {
  if (a.family === 'ipv4') return a.w3 >>> 28 === 14;
  return a.w0 >>> 24 === 0xff;
}

/** The IPv4 limited broadcast 255.255.255.255 (IPv6 has no broadcast). */
export function isLimitedBroadcast(a: Addr): boolean {
  return a === BROADCAST_V4;
}

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as its IPv4 address; any other address as itself. */
export function unmap(a: Addr): Addr {
  if (a.family === 'ipv6' && a.w0 === 0 && a.w1 === 0 && a.w2 === 0xffff) return Addr.v4(a.w3);
  return a;
}
