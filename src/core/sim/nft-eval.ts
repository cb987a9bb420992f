/**
 * nftables expressions evaluated on a packet: what `ip saddr`, `th dport`,
 * `meta l4proto`, `ct state`, `fib daddr type`, `meta mark & 0x4000` are for
 * the walk's packet on this host, and whether a constant, a range, a prefix,
 * an anonymous set or a named set (`@cluster-ips`, looked up through an index
 * for kube-proxy's ten-thousand-element maps) holds that value.
 *
 * A value the simulator cannot know (`rt`, `socket`, an `xt` match, `fib … oif`)
 * is `unknown` with the reason; the caller states it as an assumption.
 */
import { parseIPv4 } from '../net/ipv4';
import type { NftElement, NftExpr, NftSet } from '../model/nftables';
import type { MatchContext } from './match-context';
import { addrTypeOf } from './addr-type';

/** What an expression is for this packet: a number (address, port, mark), a word (state, interface), absent (no such header), or unknown. */
export type NftValue = { kind: 'num'; n: number } | { kind: 'word'; s: string; flags?: string[] } | { kind: 'absent' } | { kind: 'unknown'; why: string } | { kind: 'tuple'; parts: NftValue[] };

/** How constants compared with an expression are read. */
export type Hint = 'addr' | 'port' | 'proto' | 'number' | 'iface' | 'word';

const PROTO: Record<string, number> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, icmpv6: 58, sctp: 132, udplite: 136 };
const SERVICES: Record<string, number> = { ssh: 22, domain: 53, http: 80, https: 443, 'dns': 53, 'ntp': 123, 'bgp': 179 };
const PKTTYPE: Record<string, number> = { host: 0, unicast: 0, broadcast: 1, multicast: 2, other: 3 };

const num = (n: number): NftValue => ({ kind: 'num', n });
const word = (s: string, flags?: string[]): NftValue => ({ kind: 'word', s, ...(flags ? { flags } : {}) });
const ABSENT: NftValue = { kind: 'absent' };
const unknown = (why: string): NftValue => ({ kind: 'unknown', why });

/** How constants compared with `e` are read. */
export function hintOf(e: NftExpr): Hint {
  switch (e.kind) {
    case 'payload':
      if (e.field === 'saddr' || e.field === 'daddr') return e.protocol === 'ether' ? 'word' : 'addr';
      if (e.field === 'sport' || e.field === 'dport') return 'port';
      if (e.field === 'protocol' || e.field === 'nexthdr') return 'proto';
      return 'word';
    case 'meta':
      if (e.key === 'l4proto') return 'proto';
      if (e.key === 'iifname' || e.key === 'oifname' || e.key === 'iif' || e.key === 'oif') return 'iface';
      if (e.key === 'mark' || e.key === 'random' || e.key === 'length' || e.key === 'pkttype') return 'number';
      return 'word';
    case 'ct':
      if (e.key === 'mark') return 'number';
      if (e.key === 'saddr' || e.key === 'daddr') return 'addr';
      if (e.key === 'proto-src' || e.key === 'proto-dst') return 'port';
      return 'word';
    case 'binop': case 'numgen': case 'hash': return 'number';
    default: return 'word';
  }
}

/** The value of a packet expression on this host. */
export function evalExpr(e: NftExpr, cx: MatchContext): NftValue {
  const p = cx.pkt;
  switch (e.kind) {
    case 'payload': return payload(e.protocol, e.field, cx);
    case 'meta':
      switch (e.key) {
        case 'l4proto': return num(PROTO[p.proto]);
        case 'nfproto': return word('ipv4');
        case 'protocol': return word('ip');
        case 'mark': return num(p.mark);
        case 'iifname': case 'iif': return cx.inIface === undefined ? ABSENT : word(cx.inIface);
        case 'oifname': case 'oif': return cx.outIface === undefined ? ABSENT : word(cx.outIface);
        case 'pkttype': return num(addrTypeOf(cx.host, p.dst) === 'BROADCAST' ? 1 : addrTypeOf(cx.host, p.dst) === 'MULTICAST' ? 2 : 0);
        default: return unknown(`meta ${e.key}`);
      }
    case 'ct': {
      const ct = cx.ct;
      if (e.direction || e.protocol || e.key === 'saddr' || e.key === 'daddr') {
        const t = e.direction === 'reply' ? ct.reply : ct.orig;
        if (!t) return unknown(`ct ${e.direction ?? 'original'} ${e.key} (no conntrack entry)`);
        if (e.key === 'saddr') return num(t.src);
        if (e.key === 'daddr') return num(t.dst);
        if (e.key === 'proto-src') return t.sport === undefined ? ABSENT : num(t.sport);
        if (e.key === 'proto-dst') return t.dport === undefined ? ABSENT : num(t.dport);
        return unknown(`ct ${e.key}`);
      }
      switch (e.key) {
        case 'state': return word(ct.state.toLowerCase());
        case 'direction': return word(ct.dir.toLowerCase());
        case 'mark': return num(ct.mark);
        case 'status': {
          const flags: string[] = [];
          if (ct.dnat) flags.push('dnat');
          if (ct.snat) flags.push('snat');
          if (ct.state === 'ESTABLISHED' || ct.state === 'RELATED') flags.push('confirmed', 'seen-reply');
          return word(flags.join(','), flags);
        }
        default: return unknown(`ct ${e.key}`);
      }
    }
    case 'fib': {
      if (e.result !== 'type') return unknown(`fib ${e.flags.join(' . ')} ${e.result}`);
      const addr = e.flags.includes('saddr') ? p.src : p.dst;
      const limit = e.flags.includes('iif') ? cx.inIface : e.flags.includes('oif') ? cx.outIface : undefined;
      return word(addrTypeOf(cx.host, addr, limit).toLowerCase());
    }
    case 'concat': return { kind: 'tuple', parts: e.parts.map((x) => evalExpr(x, cx)) };
    case 'binop': {
      const l = evalExpr(e.left, cx);
      if (l.kind !== 'num') return l;
      const r = constNum(e.right);
      if (r === undefined) return unknown(`the operand of ${e.op}`);
      switch (e.op) {
        case '&': return num((l.n & r) >>> 0);
        case '|': return num((l.n | r) >>> 0);
        case '^': return num((l.n ^ r) >>> 0);
        case '<<': return num((l.n << r) >>> 0);
        case '>>': return num(l.n >>> r);
      }
      return unknown(e.op);
    }
    case 'value': return constOf(e.text, 'word') ?? unknown(e.text);
    default: return unknown(e.kind === 'other' ? e.text : e.kind);
  }
}

function payload(proto: string, field: string, cx: MatchContext): NftValue {
  const p = cx.pkt;
  switch (proto) {
    case 'ip':
      if (field === 'saddr') return num(p.src);
      if (field === 'daddr') return num(p.dst);
      if (field === 'protocol') return num(PROTO[p.proto]);
      return unknown(`ip ${field}`);
    case 'ip6': case 'icmpv6': case 'arp': case 'vlan':
      // The walk's packets are IPv4: an IPv6, ARP or VLAN header is not there.
      return ABSENT;
    case 'th': case 'tcp': case 'udp': case 'sctp': {
      if (proto !== 'th' && p.proto !== proto) return ABSENT;
      if (p.proto === 'icmp') return ABSENT;
      if (field === 'sport') return p.sport === undefined ? ABSENT : num(p.sport);
      if (field === 'dport') return p.dport === undefined ? ABSENT : num(p.dport);
      if (field === 'flags') return word(cx.ct.state === 'NEW' ? 'syn' : 'ack', [cx.ct.state === 'NEW' ? 'syn' : 'ack']);
      return unknown(`${proto} ${field}`);
    }
    case 'icmp':
      if (p.proto !== 'icmp') return ABSENT;
      if (field === 'type') return word(p.icmpError ? 'destination-unreachable' : cx.ct.dir === 'REPLY' ? 'echo-reply' : 'echo-request');
      return unknown(`icmp ${field}`);
    default: return unknown(`${proto} ${field}`);
  }
}

/** A constant as a number, when it is one (`0x4000`, `6`, `tcp`, `80`). */
export function constNum(e: NftExpr): number | undefined {
  if (e.kind === 'value') return numberOf(e.text);
  if (e.kind === 'list') {
    // `(syn|ack)`: flags are not numbers here.
    return undefined;
  }
  return undefined;
}

function numberOf(s: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  if (/^\d+$/.test(s)) return Number(s);
  return undefined;
}

/** A constant read as `hint` says; undefined when it cannot be. */
function constOf(s: string, hint: Hint): NftValue | undefined {
  switch (hint) {
    case 'addr': { const a = parseIPv4(s); return a === undefined ? undefined : num(a); }
    case 'port': { const n = numberOf(s) ?? SERVICES[s]; return n === undefined ? undefined : num(n); }
    case 'proto': { const n = numberOf(s) ?? PROTO[s]; return n === undefined ? undefined : num(n); }
    case 'number': { const n = numberOf(s) ?? PKTTYPE[s]; return n === undefined ? undefined : num(n); }
    default: return word(s);
  }
}

/** Whether one constant part (`10.0.0.0/8`, `1000-2000`, `"eth*"`, `established`) holds the value. */
export function partMatches(v: NftValue, text: string, hint: Hint): boolean {
  if (v.kind === 'word') {
    if (v.flags) return v.flags.includes(text);
    if (hint === 'iface' && text.endsWith('*')) return v.s.startsWith(text.slice(0, -1));
    return v.s === text;
  }
  if (v.kind !== 'num') return false;
  if (hint === 'addr') {
    const slash = text.indexOf('/');
    if (slash >= 0) {
      const base = parseIPv4(text.slice(0, slash));
      const len = Number(text.slice(slash + 1));
      if (base === undefined || !(len >= 0 && len <= 32)) return false;
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      return ((v.n & mask) >>> 0) === ((base & mask) >>> 0);
    }
  }
  const dash = hint === 'iface' || hint === 'word' ? -1 : text.indexOf('-', 1);
  if (dash > 0) {
    const lo = constOf(text.slice(0, dash), hint);
    const hi = constOf(text.slice(dash + 1), hint);
    return lo?.kind === 'num' && hi?.kind === 'num' && v.n >= lo.n && v.n <= hi.n;
  }
  const c = constOf(text, hint);
  return c?.kind === 'num' && c.n === v.n;
}

/** Whether an element's key holds the value (a tuple for a concatenation). */
export function elementMatches(v: NftValue, key: string[], hints: Hint[]): boolean {
  if (v.kind === 'tuple') {
    if (key.length !== v.parts.length) return false;
    for (let i = 0; i < key.length; i++) if (!partMatches(v.parts[i], key[i], hints[i] ?? 'word')) return false;
    return true;
  }
  return key.length === 1 && partMatches(v, key[0], hints[0] ?? 'word');
}

/** An index of a set's elements by exact value, and the elements (ranges, prefixes, wildcards) that need a scan. */
interface SetIndex {
  exact: Map<string, NftElement>;
  scan: NftElement[];
}

const indexes = new WeakMap<object, SetIndex>();

function canonical(text: string, hint: Hint): string | undefined {
  if (hint === 'iface' && text.endsWith('*')) return undefined;
  if (hint !== 'iface' && hint !== 'word' && (text.includes('/') || text.indexOf('-', 1) > 0)) return undefined;
  const c = constOf(text, hint);
  if (!c) return undefined;
  return c.kind === 'num' ? String(c.n) : c.kind === 'word' ? c.s : undefined;
}

function valueKey(v: NftValue): string | undefined {
  if (v.kind === 'num') return String(v.n);
  if (v.kind === 'word' && !v.flags) return v.s;
  if (v.kind === 'tuple') {
    const parts: string[] = [];
    for (const p of v.parts) {
      const k = valueKey(p);
      if (k === undefined) return undefined;
      parts.push(k);
    }
    return parts.join('\u0000');
  }
  return undefined;
}

/**
 * The first element of `elements` whose key holds `v`: an index lookup (built
 * once per set), then the elements a lookup cannot find (ranges, prefixes).
 */
export function findElement(owner: NftSet | NftExpr, elements: NftElement[], v: NftValue, hints: Hint[]): NftElement | undefined {
  let ix = indexes.get(owner);
  if (!ix) {
    ix = { exact: new Map(), scan: [] };
    for (const e of elements) {
      const parts: string[] = [];
      let exact = true;
      for (let i = 0; i < e.key.length; i++) {
        const c = canonical(e.key[i], hints[i] ?? 'word');
        if (c === undefined) { exact = false; break; }
        parts.push(c);
      }
      const k = parts.join('\u0000');
      if (exact) { if (!ix.exact.has(k)) ix.exact.set(k, e); } else ix.scan.push(e);
    }
    indexes.set(owner, ix);
  }
  const k = valueKey(v);
  if (k !== undefined) {
    const hit = ix.exact.get(k);
    if (hit) return hit;
  }
  for (const e of ix.scan) if (elementMatches(v, e.key, hints)) return e;
  // Flag values (`ct status`) never index: scan everything.
  if (k === undefined) for (const e of elements) if (elementMatches(v, e.key, hints)) return e;
  return undefined;
}

/** The hints for each part of a (possibly concatenated) key expression. */
export function hintsOf(e: NftExpr): Hint[] {
  return e.kind === 'concat' ? e.parts.map(hintOf) : [hintOf(e)];
}

/** Whether an evaluated value holds something the walk could not know (unknown anywhere inside). */
export function unknownIn(v: NftValue): string | undefined {
  if (v.kind === 'unknown') return v.why;
  if (v.kind === 'tuple') for (const p of v.parts) { const u = unknownIn(p); if (u) return u; }
  return undefined;
}

/** Whether a header the expression reads is missing from the packet (a `tcp dport` on a UDP packet). */
export function absentIn(v: NftValue): boolean {
  return v.kind === 'absent' || (v.kind === 'tuple' && v.parts.some(absentIn));
}
