/**
 * Canonical spellings: the kernel stores some options in one form whatever the
 * user typed, and iptables-save prints that form. `-j MARK --or-mark 0x4000` is
 * stored as value 0x4000 / mask 0x4000 and saved as `--set-xmark 0x4000/0x4000`;
 * `--syn` is saved as `--tcp-flags FIN,SYN,RST,ACK SYN`. Reading every format into
 * the saved form lets a listing (`MARK or 0x4000`) and a restore file compare equal,
 * and lets the simulator handle one spelling.
 */
import type { Match, Option, Target } from '../../model/netfilter';

/** `0x%x`, as iptables prints marks. */
export function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}

/** Parses a mark value (`0x4000`, `16384`); NaN when it is not one. */
export function parseMarkNumber(s: string): number {
  if (s.length === 0) return NaN;
  const n = s.startsWith('0x') || s.startsWith('0X') ? parseInt(s.slice(2), 16) : /^\d+$/.test(s) ? parseInt(s, 10) : NaN;
  return n >= 0 && n <= 0xffffffff ? n : NaN;
}

/** `value/mask` for `--set-xmark`, the form iptables-save prints for every MARK/CONNMARK variant. */
export function xmark(value: number, mask: number): string {
  return `${hex(value)}/${hex(mask)}`;
}

/**
 * Rewrites the set/or/and/xor spellings of MARK and CONNMARK (`--or-mark X`) into
 * `--set-xmark value/mask`, as the kernel stores them. Values that are not numbers
 * are left as written (the lint reports them).
 */
export function canonicalizeTarget(t: Target): void {
  if (t.name !== 'MARK' && t.name !== 'CONNMARK') return;
  // Options may be shared and frozen: build new ones rather than editing them.
  t.options = t.options.map(canonicalMarkOption);
  if (t.name === 'CONNMARK') t.options = canonicalConnmarkMasks(t.options);
}

/**
 * CONNMARK `--save-mark`/`--restore-mark`: iptables-save always prints both
 * `--nfmask` and `--ctmask` (default 0xffffffff); `--mask M` sets both.
 */
function canonicalConnmarkMasks(options: Option[]): Option[] {
  const verb = options.find((o) => o.name === '--save-mark' || o.name === '--restore-mark');
  if (!verb) return options;
  const value = (name: string) => options.find((o) => o.name === name)?.values[0];
  const mask = value('--mask');
  const nf = value('--nfmask') ?? mask ?? '0xffffffff';
  const ct = value('--ctmask') ?? mask ?? '0xffffffff';
  const num = (s: string) => {
    const n = parseMarkNumber(s);
    return Number.isNaN(n) ? s : hex(n);
  };
  return [verb, { name: '--nfmask', values: [num(nf)], negated: false }, { name: '--ctmask', values: [num(ct)], negated: false }];
}

/** Order in which iptables-save prints `-m recent` options. */
const RECENT_ORDER = ['--set', '--rcheck', '--update', '--remove', '--seconds', '--reap', '--hitcount', '--rttl', '--name', '--mask', '--rsource', '--rdest'];

/**
 * Puts a match's options in iptables-save's form. `-m recent`: save order, plus
 * the defaults iptables-save prints (`--name DEFAULT`, `--mask 255.255.255.255`,
 * `--rsource`), so kube-proxy's `--name X --set` reads like the saved rule.
 */
export function canonicalizeMatch(m: Match): void {
  if (m.module !== 'recent') return;
  const opts = [...m.options];
  if (!opts.some((o) => o.name === '--name')) opts.push({ name: '--name', values: ['DEFAULT'], negated: false });
  if (!opts.some((o) => o.name === '--mask')) opts.push({ name: '--mask', values: ['255.255.255.255'], negated: false });
  if (!opts.some((o) => o.name === '--rsource' || o.name === '--rdest')) opts.push({ name: '--rsource', values: [], negated: false });
  const rank = (o: Option) => {
    const r = RECENT_ORDER.indexOf(o.name);
    return r < 0 ? RECENT_ORDER.length : r;
  };
  m.options = opts.sort((a, b) => rank(a) - rank(b));
}

function canonicalMarkOption(o: Option): Option {
  if (o.values.length !== 1) return o;
  const [a, b] = o.values[0].split('/', 2);
  const v = parseMarkNumber(a);
  if (Number.isNaN(v)) return o;
  const m = b === undefined ? 0xffffffff : parseMarkNumber(b);
  if (Number.isNaN(m)) return o;
  const xset = (value: number, mask: number): Option => ({ name: '--set-xmark', values: [xmark(value, mask)], negated: o.negated });
  switch (o.name) {
    // MARK --set-mark: zero the mask bits, then OR the value; equal to xset when value ⊆ mask (iptables enforces it).
    case '--set-mark':
    case '--set-xmark':
      return xset(v, m);
    case '--or-mark':
      return xset(v, v);
    case '--and-mark':
      return xset(0, ~v >>> 0);
    case '--xor-mark':
      return xset(v, 0);
    default:
      return o;
  }
}

/** TCP flag names in the order iptables prints them, with their bits. */
const TCP_FLAGS: readonly [string, number][] = [
  ['FIN', 0x01], ['SYN', 0x02], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20], ['ECE', 0x40], ['CWR', 0x80],
];

/** Bits of a `--tcp-flags` list (`SYN,ACK`, `ALL`, `NONE`); NaN if a name is unknown. */
export function tcpFlagBits(list: string): number {
  let bits = 0;
  for (const name of list.toUpperCase().split(',')) {
    if (name === 'ALL') bits |= 0x3f;
    else if (name === 'NONE') continue;
    else {
      const f = TCP_FLAGS.find(([n]) => n === name);
      if (!f) return NaN;
      bits |= f[1];
    }
  }
  return bits;
}

/** The flag list iptables-save prints for `bits` (`0x17` → `FIN,SYN,RST,ACK`). */
export function tcpFlagNames(bits: number): string {
  if (bits === 0) return 'NONE';
  const names: string[] = [];
  for (const [n, b] of TCP_FLAGS) if (bits & b) names.push(n);
  return names.join(',');
}

/** `--syn` → `--tcp-flags FIN,SYN,RST,ACK SYN`; a `--tcp-flags` list → its canonical order. Returns a new option. */
export function canonicalTcpFlags(o: Option): Option {
  if (o.name === '--syn') return { name: '--tcp-flags', values: ['FIN,SYN,RST,ACK', 'SYN'], negated: o.negated };
  if (o.values.length !== 2) return o;
  const mask = tcpFlagBits(o.values[0]);
  const cmp = tcpFlagBits(o.values[1]);
  if (Number.isNaN(mask) || Number.isNaN(cmp)) return o;
  return { name: o.name, values: [tcpFlagNames(mask), tcpFlagNames(cmp)], negated: o.negated };
}
