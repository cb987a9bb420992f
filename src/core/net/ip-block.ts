/**
 * Addresses and CIDRs of either family as Kubernetes objects write them
 * (`10.0.0.0/8`, `fd00::/64`), for NetworkPolicy `ipBlock`s: parse, and test
 * whether an address lies inside. Values are bigints so one comparison serves
 * IPv4 (32 bits) and IPv6 (128 bits).
 */

/** An address of one family. */
export interface AnyIP {
  family: 4 | 6;
  value: bigint;
}

/** A CIDR: the network's address (host bits cleared) and the prefix length. */
export interface AnyCIDR {
  family: 4 | 6;
  network: bigint;
  len: number;
  /** Host bits were set in the written address. */
  hostBits: boolean;
}

function parse4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parse6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail4: bigint | undefined;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    tail4 = parse4(s.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) v = (v & ~0xffffffffn) | tail4;
  return v;
}

/** Parses an IPv4 or IPv6 address. */
export function parseAnyIP(s: string): AnyIP | undefined {
  const v4 = parse4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = s.includes(':') ? parse6(s) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Parses `address/len` of either family. */
export function parseAnyCIDR(s: string): AnyCIDR | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseAnyIP(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (!ip || !/^(?:0|[1-9]\d{0,2})$/.test(lenText)) return undefined;
  const len = Number(lenText);
  const bits = ip.family === 4 ? 32 : 128;
  if (len > bits) return undefined;
  const hostMask = (1n << BigInt(bits - len)) - 1n;
  return { family: ip.family, network: ip.value & ~hostMask, len, hostBits: (ip.value & hostMask) !== 0n };
}

/** Is `ip` inside `cidr` (same family, same leading `len` bits)? */
export function cidrContains(cidr: AnyCIDR, ip: AnyIP): boolean {
  if (cidr.family !== ip.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  return (ip.value >> BigInt(bits - cidr.len)) === (cidr.network >> BigInt(bits - cidr.len));
}

/** Is `inner` inside `outer` (every address of inner is in outer)? */
export function cidrCovers(outer: AnyCIDR, inner: AnyCIDR): boolean {
  return outer.family === inner.family && inner.len >= outer.len && cidrContains(outer, { family: inner.family, value: inner.network });
}
