/**
 * Overlays: a packet routed into a VXLAN device (flannel's `flannel.1`,
 * Calico's `vxlan.calico`) and out of it on the other side, and the MTU
 * check every device makes.
 *
 * Into the tunnel (vxlan_xmit): the route's next hop (`10.244.1.0 dev
 * flannel.1 onlink`) is resolved through the neighbour table to a link-layer
 * address, that address through the device's fdb to the remote VTEP's
 * underlay address (the all-zeros entry when no other matches). The frame
 * becomes the payload of an outer UDP packet from the device's `local`
 * address to the VTEP on the device's `dstport`, with a source port hashed
 * from the inner flow; the outer packet is then sent by the node like any
 * packet it makes (routed, filtered by OUTPUT and POSTROUTING, crossing the
 * node network, filtered on the receiver). A VXLAN device is not NOARP: with
 * no neighbour entry the kernel ARPs into the tunnel and, after about 3 s,
 * the sender gets host unreachable. No fdb entry: the frame is dropped
 * without a word.
 *
 * Out of the tunnel (vxlan_rcv): an outer packet delivered to a node is taken
 * by the VXLAN device listening on its port, if the VNI is the device's own;
 * anything else is dropped silently. The inner packet is then received on
 * that device and routed on.
 *
 * The outer walk is a flow of its own: connection tracking sees two flows (the
 * inner one on the nodes, the outer UDP one), so the outer packet starts with
 * no conntrack association and the inner state comes back at decapsulation.
 */
import type { IPv4 } from '../net/ipv4';
import { formatIPv4 } from '../net/ipv4';
import type { FdbRow, Host, HostInterface, NeighbourEntry } from '../model/cluster';
import type { Hop } from './types';
import type { Inner, Walk } from './walk-state';
import { describe, viewOf, withAssumption, withHop } from './walk-state';
import type { RouteChoice } from './route-lookup';
import { preferredSource } from './route-lookup';
import type { End, WalkCtx } from './walk-host';
import { end, receive, sendLocal } from './walk-host';

/** Bytes VXLAN adds: outer IPv4 (20) + UDP (8) + VXLAN (8) + the inner Ethernet header (14). */
export const VXLAN_OVERHEAD = 50;
/** Bytes IPIP adds: the outer IPv4 header. */
export const IPIP_OVERHEAD = 20;
/** The all-zeros link-layer address: a VXLAN fdb's default entry. */
const ZERO_LLADDR = '00:00:00:00:00:00';

/**
 * The source port of an outer VXLAN packet: the kernel hashes the inner flow
 * into the local port range (udp_flow_src_port), so one flow keeps one port and
 * flows spread over the underlay's ECMP paths. The exact hash is the kernel's;
 * this one is stable per flow, within the same range.
 */
export function vxlanSourcePort(p: Walk['pkt']): number {
  let h = 2166136261;
  for (const n of [p.src, p.dst, p.sport ?? 0, p.dport ?? 0, p.proto.length]) {
    h = Math.imul(h ^ (n >>> 0), 16777619) >>> 0;
  }
  return 32768 + (h % (60999 - 32768 + 1));
}

/** The neighbour entry for `ip` on `dev`, when the host's table is known. */
function neighbourOf(host: Host, dev: string, ip: IPv4): NeighbourEntry | undefined {
  return host.neighbours?.find((n) => n.ip === ip && !n.proxy && (n.dev === undefined || n.dev === dev));
}

/** The fdb entry of `dev` for `lladdr`, else its default (all-zeros) entry. */
function fdbOf(host: Host, dev: string, lladdr: string): FdbRow | undefined {
  const rows = host.fdb?.filter((r) => r.dev === undefined || r.dev === dev) ?? [];
  return rows.find((r) => r.lladdr === lladdr) ?? rows.find((r) => r.lladdr === ZERO_LLADDR);
}

/** The host whose tunnel device of this kind carries address `ip` (a VTEP address like flannel's `10.244.1.0`). */
function vtepOwner(cx: WalkCtx, ip: IPv4): { host: Host; iface: HostInterface } | undefined {
  const o = cx.cluster.addressOwner.get(ip);
  const host = o ? cx.cluster.hosts.get(o.host) : undefined;
  const iface = host?.interfaces.find((i) => i.name === o!.iface);
  return host && iface?.tunnel ? { host, iface } : undefined;
}

/** The underlay address of a host's tunnel device: its `local`, else the address of its `dev`, else the first address on a network segment. */
function underlayAddress(host: Host, iface: HostInterface): IPv4 | undefined {
  if (iface.tunnel?.local !== undefined) return iface.tunnel.local;
  const dev = iface.tunnel?.dev ? host.interfaces.find((i) => i.name === iface.tunnel!.dev) : undefined;
  const eth = dev ?? host.interfaces.find((i) => !i.isLoopback && !i.isBridge && !i.master && !i.tunnel && i.addresses.length > 0);
  return eth?.addresses[0]?.ip;
}

function tunnelHop(host: string, kind: 'encap' | 'decap', text: string, origin: Hop['origin'], pkt?: Walk['pkt']): Hop {
  const hop: Hop = { host, kind, text };
  if (origin) hop.origin = origin;
  if (pkt) hop.packet = viewOf(pkt);
  return hop;
}

/**
 * The MTU check of an egress device: a packet larger than `iface`'s MTU with DF
 * set is not sent; the sender is told the MTU (ICMP fragmentation needed), or,
 * when the sender is this host, its own send fails (EMSGSIZE).
 */
export function tooBig(host: Host, iface: HostInterface | undefined, w: Walk): End | undefined {
  const size = w.pkt.size;
  if (iface?.mtu === undefined || size === undefined || size <= iface.mtu || w.pkt.df === false) return undefined;
  const local = w.visits === 0;
  const reason = `${describe(w.pkt)} is ${size} bytes, more than ${iface.name}'s MTU ${iface.mtu}, and DF is set: `
    + (local ? 'the send fails on the sender itself (EMSGSIZE)' : `icmp fragmentation-needed (mtu ${iface.mtu}) back to ${formatIPv4(w.pkt.src)}`);
  return end(w, host.id, 'too-big', reason, { errorFrom: host.id, icmp: 'icmp-frag-needed', mtu: iface.mtu });
}

/** Sends the packet into tunnel device `iface` of `host` along route choice `c` (after POSTROUTING). */
export function tunnelEgress(cx: WalkCtx, host: Host, c: RouteChoice & { kind: 'unicast' }, iface: HostInterface, w: Walk): End[] {
  const t = iface.tunnel!;
  if (t.kind !== 'vxlan') {
    return [end(withAssumption(w, host.id, `${iface.name} is an IPIP tunnel: encapsulation in IPIP is not walked by this version`), host.id, 'exited', `${iface.name} is an IPIP tunnel; the walk stops here`)];
  }
  const nh = c.nextHop;
  let lladdr: string | undefined;
  let dst: IPv4 | undefined;
  let fdbRow: FdbRow | undefined;
  let w1 = w;
  if (host.neighbours) {
    const n = neighbourOf(host, iface.name, nh);
    if (!n?.usable) {
      const w2 = n?.origin ? withHop(w, tunnelHop(host.id, 'encap', `neighbour ${formatIPv4(nh)} on ${iface.name} is ${n.states.join(' ') || 'without a link-layer address'}`, n.origin)) : w;
      return [end(w2, host.id, 'no-route', `no neighbour entry for ${formatIPv4(nh)} on ${iface.name}: the node ARPs into the tunnel, nobody answers, and after about 3 s icmp host-unreachable goes back to ${formatIPv4(w.pkt.src)}`,
        { errorFrom: host.id, icmp: 'icmp-host-unreachable' })];
    }
    lladdr = n.lladdr!;
    fdbRow = host.fdb ? fdbOf(host, iface.name, lladdr) : undefined;
    if (host.fdb && !fdbRow) {
      return [end(w, host.id, 'dropped', `no fdb entry for ${lladdr} (the neighbour ${formatIPv4(nh)}) on ${iface.name}, and no default entry: the frame is dropped without a word`)];
    }
    dst = fdbRow?.dst;
  }
  if (dst === undefined) {
    // No table given: the VTEP that owns the next hop is the destination, as flannel and Calico write their entries.
    const owner = vtepOwner(cx, nh);
    const ua = owner ? underlayAddress(owner.host, owner.iface) : undefined;
    if (!owner || ua === undefined) {
      return [end(w, host.id, 'no-route', `no neighbour or fdb entry says where ${formatIPv4(nh)} is behind ${iface.name}, and no modelled node has that VTEP address: icmp host-unreachable back to ${formatIPv4(w.pkt.src)}`,
        { errorFrom: host.id, icmp: 'icmp-host-unreachable' })];
    }
    w1 = withAssumption(w1, host.id, `${host.id} has no ${host.neighbours ? 'fdb' : 'neighbour'} table: ${iface.name} sends to the VTEP that owns ${formatIPv4(nh)} (${owner.host.id}, ${formatIPv4(ua)}), as the CNI agent writes its entries`);
    dst = ua;
  }
  const vni = fdbRow?.vni ?? t.vni;
  const port = fdbRow?.port ?? t.port;
  const src = t.local ?? preferredSource(host, t.dev, dst) ?? underlayAddress(host, iface);
  if (src === undefined) return [end(w1, host.id, 'no-route', `${iface.name} has no local address to send from`, { errorFrom: host.id, icmp: 'icmp-host-unreachable' })];
  const inner: Inner = { pkt: w1.pkt, ct: w1.ct, reply: w1.reply, assoc: w1.assoc, host: host.id, dev: iface.name, kind: 'vxlan', vni };
  const outerPkt: Walk['pkt'] = {
    src, dst, sport: vxlanSourcePort(w1.pkt), dport: port, proto: 'udp', mark: 0, ttl: 64,
    ...(w1.pkt.size !== undefined ? { size: w1.pkt.size + VXLAN_OVERHEAD } : {}),
    // Linux VXLAN leaves DF clear on the outer packet (`df unset`): an outer packet over the underlay MTU is fragmented.
    df: false,
  };
  const via = fdbRow?.origin ? ` (${iface.name} fdb line ${fdbRow.origin.line})` : '';
  const text = `encapsulated in VXLAN ${vni} to ${formatIPv4(dst)}:${port}${via}: ${describe(outerPkt)}`;
  const hop = { ...tunnelHop(host.id, 'encap', text, fdbRow?.origin ?? t.origin, outerPkt), outer: { src: formatIPv4(src), dst: formatIPv4(dst), protocol: 'udp', port } };
  const w2: Walk = { ...withHop(w1, hop), pkt: outerPkt, ct: new Map(), reply: false, assoc: undefined, inner };
  return sendLocal(cx, host, w2);
}

/** An outer packet delivered to `host`: opened by the VXLAN device that listens on its port, or dropped. */
export function decapsulate(cx: WalkCtx, host: Host, w: Walk): End[] {
  const inner = w.inner!;
  const port = w.pkt.dport;
  const listening = host.interfaces.filter((i) => i.tunnel?.kind === 'vxlan' && i.tunnel.port === port && i.up);
  if (listening.length === 0) {
    return [end(w, host.id, 'dropped', `no VXLAN device on ${host.id} listens on UDP ${port}: the outer packet is dropped (the inner sender hears nothing)`)];
  }
  const dev = listening.find((i) => i.tunnel?.kind === 'vxlan' && i.tunnel.vni === inner.vni);
  if (!dev) {
    const have = listening.map((i) => `${i.name} VNI ${(i.tunnel as { vni: number }).vni}`).join(', ');
    return [end(w, host.id, 'dropped', `VXLAN ${inner.vni} arrives on UDP ${port}, but ${host.id}'s device there is ${have}: dropped without a word`)];
  }
  const w1 = withHop(w, tunnelHop(host.id, 'decap', `decapsulated on ${host.id} by ${dev.name} (VXLAN ${inner.vni}): ${describe(inner.pkt)}`, dev.tunnel?.origin, inner.pkt));
  const w2: Walk = { ...w1, pkt: inner.pkt, ct: inner.ct, reply: inner.reply, assoc: undefined, inner: undefined };
  return receive(cx, host, dev.name, w2);
}
