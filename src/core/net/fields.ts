/**
 * The 32-bit fields of a packet and its metadata that are not addresses but are
 * read with masks all the same: the netfilter mark, the conntrack mark and ip
 * rule's fwmark (`VALUE/MASK`), and flag sets (TCP flags, LOG flags). Kept next
 * to the address arithmetic so that every shift and mask in the engine sits in
 * this folder.
 */

/** The largest unsigned 32-bit value, 0xffffffff: a mark's default mask, the largest route metric. */
export const U32_MAX = 0xffffffff;

/** Parses a mark as iptables and ip rule print it (`0x4000`, `16384`); NaN when it is not an unsigned 32-bit number. */
export function parseMark(s: string): number {
  if (s.length === 0) return NaN;
  const n = s.startsWith('0x') || s.startsWith('0X') ? (/^0[xX][0-9a-fA-F]+$/.test(s) ? parseInt(s.slice(2), 16) : NaN) : /^\d+$/.test(s) ? parseInt(s, 10) : NaN;
  return n >= 0 && n <= U32_MAX ? n : NaN;
}

/** A number as an unsigned 32-bit value (what the kernel stores for a mark written larger or negative). */
export function u32(n: number): number {
  return n >>> 0;
}

/** `value[/mask]` as two unsigned 32-bit numbers (mask defaults to all ones); unreadable parts are 0. */
export function valueMask(s: string): { value: number; mask: number } {
  const slash = s.indexOf('/');
  const value = Number(slash < 0 ? s : s.slice(0, slash)) >>> 0;
  const mask = slash < 0 ? U32_MAX : Number(s.slice(slash + 1)) >>> 0;
  return { value, mask };
}

/** Whether `mark` has `value` under `mask` (`-m mark --mark V/M`, `ip rule fwmark V/M`). */
export function markMatches(mark: number, value: number, mask: number): boolean {
  return (mark & mask) >>> 0 === (value & mask) >>> 0;
}

/** `(mark & ~mask) ^ value`: the one operation MARK and CONNMARK are built from (`--set-xmark`). */
export function xmark(mark: number, value: number, mask: number): number {
  return ((mark & ~mask) ^ value) >>> 0;
}

/** `~v` as an unsigned 32-bit value (`--and-mark V` is `--set-xmark 0/~V`). */
export function invertBits(v: number): number {
  return ~v >>> 0;
}

/** `a | b` as an unsigned 32-bit value (`--set-mark V/M` clears `V|M`). */
export function unionBits(a: number, b: number): number {
  return (a | b) >>> 0;
}

/** `a & b` as an unsigned 32-bit value (the bits of `a` selected by mask `b`). */
export function maskBits(a: number, b: number): number {
  return (a & b) >>> 0;
}

/** Whether every bit of `bit` is set in `flags` (a TCP flag, a LOG flag). */
export function hasBits(flags: number, bit: number): boolean {
  return (flags & bit) === bit;
}

/** `0x%x`, as iptables prints marks. */
export function hexMark(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}
