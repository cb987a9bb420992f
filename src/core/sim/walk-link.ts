/**
 * Leaving a host and crossing layer 2: the next hop (the gateway, or the
 * destination itself on a connected route) is resolved to the host that owns
 * that address on the egress interface's segment, as ARP would. A Linux bridge
 * (cbr0) is a segment too: a pod's frame enters it through the pod's port; a
 * frame for the bridge's own address goes up into the node's IP stack, any other
 * is bridged to the port that owns the address. With br_netfilter
 * (bridge-nf-call-iptables) every IPv4 frame entering a port passes the node's
 * PREROUTING, and a bridged one FORWARD and POSTROUTING too: that is where a pod
 * → ClusterIP packet is DNATed, and why a DNAT back to a pod on the same bridge
 * is bridged (and, back out the port it came in on, needs hairpin mode).
 *
 * No host answers for the next hop: a gateway nobody models means the packet
 * left the modelled network (`exited`); a destination on the link itself that
 * nobody owns gets no ARP answer, and the sender gets host-unreachable (`no-route`).
 */
import type { IPv4 } from '../net/ipv4';
import { contains, formatIPv4, maskOf } from '../net/ipv4';
import type { Cluster, Host, HostInterface, Segment } from '../model/cluster';
import type { Walk } from './walk-state';
import { withHop } from './walk-state';
import type { RouteChoice } from './route-lookup';
import { lookupRoute } from './route-lookup';
import type { End, WalkCtx } from './walk-host';
import { afterHook, end, receive, routeHop, routeReceived, share } from './walk-host';
import { runHook } from './walk-hook';
import { tooBig, tunnelEgress } from './walk-tunnel';

/** A host's interface on a segment. */
interface Attach {
  host: Host;
  iface: string;
}

/** The segment an interface is attached to (a bridge device is its own segment's root). */
export function segmentOf(cl: Cluster, host: Host, iface: HostInterface): Segment | undefined {
  if (iface.segment) {
    const s = cl.segments.get(iface.segment);
    if (s) return s;
  }
  if (iface.isBridge) for (const s of cl.segments.values()) if (s.bridge?.host === host.id && s.bridge.iface === iface.name) return s;
  return undefined;
}

/** The host that answers ARP for `a` on segment `seg`. */
export function ownerOnSegment(cl: Cluster, seg: Segment, a: IPv4): Attach | undefined {
  const has = (hostId: string, ifName: string): Attach | undefined => {
    const h = cl.hosts.get(hostId);
    const i = h?.interfaces.find((x) => x.name === ifName);
    return h && i && i.up !== false && i.addresses.some((ad) => ad.ip === a) ? { host: h, iface: ifName } : undefined;
  };
  const o = cl.addressOwner.get(a);
  if (o) {
    const h = cl.hosts.get(o.host);
    const i = h?.interfaces.find((x) => x.name === o.iface);
    if (h && i && (i.segment === seg.id || (seg.bridge?.host === o.host && seg.bridge.iface === o.iface))) return { host: h, iface: o.iface };
  }
  if (seg.bridge) {
    const b = has(seg.bridge.host, seg.bridge.iface);
    if (b) return b;
  }
  for (const m of seg.members) {
    const b = has(m.host, m.iface);
    if (b) return b;
  }
  return undefined;
}

/** Name of the bridge port a pod's frames use: the segment member's host-side veth, when the model names it. */
function portName(seg: Segment, podId: string): string {
  // Unnamed ports get the builder's naming (veth-<pod>), so `--physdev-in veth+` reads as on a kubenet node.
  return seg.members.find((m) => m.host === podId)?.port ?? `veth-${podId.split('/').pop() ?? podId}`;
}

/**
 * Hairpin mode of a bridge port: the port's flag; else the node's setting, which the
 * builder puts on the bridge; else the bridge's ports' (all must allow it); else on
 * (kubenet's default).
 */
function hairpinOf(node: Host, bridge: string, port: string): boolean {
  const p = node.interfaces.find((i) => i.name === port);
  if (p?.hairpin !== undefined) return p.hairpin;
  const own = node.interfaces.find((i) => i.name === bridge)?.hairpin;
  if (own !== undefined) return own;
  const ports = node.interfaces.filter((i) => i.master === bridge && i.hairpin !== undefined);
  return ports.length ? ports.every((x) => x.hairpin) : true;
}

function onLink(host: Host, iface: HostInterface | undefined, seg: Segment | undefined, cl: Cluster, a: IPv4): boolean {
  if (seg?.prefix && contains(seg.prefix, a)) return true;
  if (iface?.addresses.some((ad) => ((ad.ip & maskOf(ad.prefixLen)) >>> 0) === ((a & maskOf(ad.prefixLen)) >>> 0))) return true;
  return cl.clusterCIDR !== undefined && contains(cl.clusterCIDR, a) && host.kind !== 'router';
}

/** Sends the packet out of `host` along route choice `c` (after POSTROUTING). */
export function egress(cx: WalkCtx, host: Host, c: RouteChoice & { kind: 'unicast' }, w: Walk): End[] {
  const cl = cx.cluster;
  if (c.exits) return [end(w, host.id, 'exited', `next hop type ${c.exits}: the packet leaves the modelled network`, { exitsTo: c.exits })];
  const iface = c.dev ? host.interfaces.find((i) => i.name === c.dev) : undefined;
  const big = tooBig(host, iface, w);
  if (big) return [big];
  if (iface?.tunnel) return tunnelEgress(cx, host, c, iface, w);
  const seg = iface ? segmentOf(cl, host, iface) : undefined;
  const target = seg ? ownerOnSegment(cl, seg, c.nextHop) : undefined;
  if (!target) {
    const nh = formatIPv4(c.nextHop);
    if (c.gateway !== undefined || !onLink(host, iface, seg, cl, c.nextHop)) {
      return [end(w, host.id, 'exited', `no modelled host is ${nh} on ${c.dev ?? 'the link'}: the packet leaves the modelled network`)];
    }
    return [end(w, host.id, 'no-route', `nobody answers ARP for ${nh} on ${c.dev ?? 'the link'}: host unreachable`, { errorFrom: host.id, icmp: 'icmp-host-unreachable' })];
  }
  const w1 = withHop(w, { host: host.id, kind: 'link', text: `${c.dev} → ${formatIPv4(c.nextHop)} (${target.host.id} ${target.iface})${seg ? ` on ${seg.id}` : ''}` });
  if (seg?.kind === 'bridge' && seg.bridge && seg.bridge.host !== host.id) {
    const node = cl.hosts.get(seg.bridge.host);
    if (node) return bridgeIngress(cx, node, seg, host, target, w1);
  }
  return receive(cx, target.host, target.iface, w1);
}

/** A frame from `from` (a pod on the bridge) enters bridge `seg` of `node`, addressed (L2) to `target`. */
function bridgeIngress(cx: WalkCtx, node: Host, seg: Segment, from: Host, target: Attach, w: Walk): End[] {
  const br = seg.bridge?.iface ?? '';
  const physIn = portName(seg, from.id);
  const toBridge = target.host.id === node.id;
  if (!node.flags.brNetfilter) {
    if (toBridge) return receive(cx, node, br, w);
    return bridgeForward(cx, node, seg, physIn, target, w);
  }
  const pre = runHook(node, 'PREROUTING', { ...w, visits: w.visits + 1 }, { inIface: br, physIn, bridged: true });
  return afterHook(node, pre, 'PREROUTING (br_netfilter)', (w2) => {
    if (w2.pkt.dst !== w.pkt.dst) {
      // br_nf_pre_routing_finish: a DNATed frame whose new destination is routed back out the
      // same bridge is bridged to it, not routed.
      const choices = lookupRoute(node, { dst: w2.pkt.dst, src: w2.pkt.src, mark: w2.pkt.mark, iif: br });
      if (!choices.some((c) => c.kind === 'unicast' && c.dev === br)) return routeReceived(cx, node, br, w2);
      const res: End[] = [];
      for (const c of choices) {
        const t2 = c.kind === 'unicast' && c.dev === br ? ownerOnSegment(cx.cluster, seg, c.nextHop) : undefined;
        if (c.kind === 'unicast' && t2) {
          const h = routeHop(node, w2.pkt.dst, c);
          res.push(...bridgeForward(cx, node, seg, physIn, t2, withHop(share(w2, c, node.id), { ...h, text: `after DNAT the frame is bridged again: ${h.text}` }), true));
        } else {
          // A multipath route mixing the bridge and other devices: the other share is routed as usual.
          res.push(...routeReceived(cx, node, br, share(w2, c, node.id)).filter((e) => e.w.prob > 0));
        }
      }
      return res;
    }
    if (toBridge) return routeReceived(cx, node, br, w2);
    return bridgeForward(cx, node, seg, physIn, target, w2, true);
  });
}

/** Bridges a frame from port `physIn` to `target`'s port (FORWARD and POSTROUTING with br_netfilter). */
function bridgeForward(cx: WalkCtx, node: Host, seg: Segment, physIn: string, target: Attach, w: Walk, prerouted = false): End[] {
  const br = seg.bridge?.iface ?? '';
  const physOut = portName(seg, target.host.id);
  if (physOut === physIn && !hairpinOf(node, br, physIn)) {
    return [end(w, node.id, 'dropped', `${br} would send the frame back out ${physIn}, the port it came in on, and hairpin mode is off`)];
  }
  const w1 = withHop(w, { host: node.id, kind: 'bridge', text: `bridged on ${br}: ${physIn} → ${physOut} (${target.host.id})${physIn === physOut ? ' (hairpin)' : ''}` });
  if (!node.flags.brNetfilter) return receive(cx, target.host, target.iface, w1);
  const io = { inIface: br, outIface: br, physIn, physOut, bridged: true };
  const fwd = (w2: Walk): End[] => afterHook(node, runHook(node, 'FORWARD', w2, io), 'FORWARD (br_netfilter)', (w3) =>
    afterHook(node, runHook(node, 'POSTROUTING', w3, { ...io, inIface: undefined, nextHop: w3.pkt.dst }), 'POSTROUTING (br_netfilter)', (w4) =>
      receive(cx, target.host, target.iface, w4)));
  if (prerouted) return fwd(w1);
  return afterHook(node, runHook(node, 'PREROUTING', w1, { inIface: br, physIn, bridged: true }), 'PREROUTING (br_netfilter)', fwd);
}
