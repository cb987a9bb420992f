/**
 * The state a packet carries through the walk: its headers, the skb mark, its
 * TTL, the probability of the branch it is on, the hops and assumptions
 * recorded so far, and the conntrack entries the connection created on each
 * host. Branches (statistic matches, multipath routes) copy the state; hops
 * and assumptions are persistent lists so a copy is O(1).
 */
import type { IPv4 } from '../net/ipv4';
import { formatIPv4 } from '../net/ipv4';
import type { Hop, PacketView } from './types';

/** Transport protocols the walk knows. */
export type Proto = 'tcp' | 'udp' | 'icmp';

/** A packet's headers as netfilter and routing see them. */
export interface Packet {
  src: IPv4;
  dst: IPv4;
  sport?: number;
  dport?: number;
  proto: Proto;
  /** skb->mark (nfmark), set by MARK, read by `-m mark` and `ip rule fwmark`. */
  mark: number;
  ttl: number;
  /** An ICMP error (REJECT's answer, host unreachable): conntrack sees it as RELATED. */
  icmpError?: boolean;
  /** IP total length in bytes, for the MTU checks; undefined = not checked. */
  size?: number;
  /** Don't Fragment: a packet over a device's MTU is refused (fragmentation needed) instead of fragmented. */
  df?: boolean;
}

/**
 * The packet inside an outer (tunnel) packet, and the walk state it had when it
 * went in: restored when the receiving node opens the outer packet.
 */
export interface Inner {
  pkt: Packet;
  ct: ReadonlyMap<string, CtEntry>;
  reply: boolean;
  assoc: Walk['assoc'];
  /** The node and device that encapsulated it. */
  host: string;
  dev: string;
  kind: 'vxlan';
  vni: number;
}

/** A connection's addresses in one direction (a conntrack tuple). */
export interface Tuple {
  src: IPv4;
  dst: IPv4;
  sport?: number;
  dport?: number;
  proto: Proto;
}

/** One host's conntrack entry for the traced connection. */
export interface CtEntry {
  /** The packet as first seen by this host, before any NAT. */
  orig: Tuple;
  /** The expected reply: the inverse of the packet as it left (after NAT); set at confirmation. */
  reply?: Tuple;
  /** DNAT/REDIRECT rewrote the original direction's destination. */
  dnat: boolean;
  /** SNAT/MASQUERADE rewrote the original direction's source. */
  snat: boolean;
  /** CONNMARK's ctmark. */
  mark: number;
  /** The packet that created the entry has left the host (or was delivered): later packets are ESTABLISHED. */
  confirmed: boolean;
  /** raw's NOTRACK / CT --notrack: no entry really exists; the packet is UNTRACKED and never NATed. */
  untracked?: boolean;
}

/** A persistent (shared-tail) list: appending never copies. */
export interface List<T> {
  readonly head: T;
  readonly tail: List<T> | undefined;
}

/** Appends to a persistent list. */
export function push<T>(l: List<T> | undefined, v: T): List<T> {
  return { head: v, tail: l };
}

/** The list's items, oldest first. */
export function toArray<T>(l: List<T> | undefined): T[] {
  const out: T[] = [];
  for (let c = l; c; c = c.tail) out.push(c.head);
  return out.reverse();
}

/** One branch of the walk. */
export interface Walk {
  pkt: Packet;
  /** Probability of reaching this point (product of the branch choices taken). */
  prob: number;
  hops: List<Hop> | undefined;
  assumptions: List<string> | undefined;
  /** Conntrack entries by host id (copied on write: branches must not share mutations). */
  ct: ReadonlyMap<string, CtEntry>;
  /** Host visits so far: a hard stop against any walk that would not end. */
  visits: number;
  /** The packet belongs to the reply direction of the traced connection. */
  reply: boolean;
  /**
   * The conntrack verdict of the host the packet is in, made at its first hook (skb->_nfct):
   * later hooks of the same host use it, even after NAT changed the packet's tuple.
   */
  /** Random branches this trace may still open (shared by every branch of one traceFlow, replies included). */
  budget?: { branches: number };
  assoc?: { host: string; state: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'UNTRACKED' | 'INVALID'; dir: 'ORIGINAL' | 'REPLY' };
  /** Set while the packet is an outer (tunnel) packet: what it carries. */
  inner?: Inner;
}

/** The walk with one more hop. */
export function withHop(w: Walk, hop: Hop): Walk {
  return { ...w, hops: push(w.hops, hop) };
}

/** The walk with one more assumption (recorded once per branch, also as an `assume` hop). */
export function withAssumption(w: Walk, host: string, text: string): Walk {
  for (let c = w.assumptions; c; c = c.tail) if (c.head === text) return w;
  return { ...w, assumptions: push(w.assumptions, text), hops: push(w.hops, { host, kind: 'assume', text: `assumed: ${text}` }) };
}

/** The walk with host `host`'s conntrack entry replaced. */
export function withCt(w: Walk, host: string, e: CtEntry): Walk {
  const ct = new Map(w.ct);
  ct.set(host, e);
  return { ...w, ct };
}

/** The packet as traces print it. */
export function viewOf(p: Packet): PacketView {
  const v: PacketView = { src: formatIPv4(p.src), dst: formatIPv4(p.dst), protocol: p.proto };
  if (p.sport !== undefined) v.srcPort = p.sport;
  if (p.dport !== undefined) v.dstPort = p.dport;
  return v;
}

/** `10.0.0.10:53` or `10.0.0.10`. */
export function endpoint(ip: IPv4, port?: number): string {
  return port === undefined ? formatIPv4(ip) : `${formatIPv4(ip)}:${port}`;
}

/** `10.244.0.6:40000 → 10.0.0.10:53/udp` */
export function describe(p: Packet): string {
  return `${endpoint(p.src, p.sport)} → ${endpoint(p.dst, p.dport)}/${p.proto}`;
}

/** The tuple of a packet. */
export function tupleOf(p: Packet): Tuple {
  return { src: p.src, dst: p.dst, sport: p.sport, dport: p.dport, proto: p.proto };
}

/** The tuple of the answer to `t`. */
export function invert(t: Tuple): Tuple {
  return { src: t.dst, dst: t.src, sport: t.dport, dport: t.sport, proto: t.proto };
}

/** Whether two tuples name the same flow direction. */
export function sameTuple(a: Tuple, b: Tuple): boolean {
  return a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport && a.proto === b.proto;
}
