/**
 * The packet's journey through hosts, in the kernel's order.
 *
 * Locally generated: route lookup → OUTPUT (raw, mangle, nat, filter) →
 * reroute when OUTPUT changed the destination or mark → POSTROUTING (mangle,
 * nat) → egress. Received: PREROUTING (raw, mangle, nat) → route lookup →
 * either INPUT (mangle, filter) and delivery, or, when the host forwards,
 * FORWARD (mangle, filter) → POSTROUTING → egress, with the TTL decremented.
 * Egress hands the packet to whichever host owns the next hop on the egress
 * interface's segment (walk-link.ts).
 */
import type { IPv4 } from '../net/ipv4';
import { formatIPv4 } from '../net/ipv4';
import type { Cluster, Host } from '../model/cluster';
import type { Disposition, Hop, LocalErrno } from './types';
import type { Walk } from './walk-state';
import { describe, viewOf, withAssumption, withHop } from './walk-state';
import type { RouteChoice } from './route-lookup';
import { describeRoute, lookupRoute } from './route-lookup';
import type { HookIO, HookOutcome } from './walk-hook';
import { runHook } from './walk-hook';
import { egress } from './walk-link';
import { decapsulate } from './walk-tunnel';

/** How one branch of the walk ended. */
export interface End {
  w: Walk;
  disposition: Disposition;
  /** Host id where it ended. */
  at: string;
  /** Why, in words (the last hop's text). */
  reason: string;
  /** For `no-route`/`rejected`/TTL `loop`: the host that sends the ICMP error back; for the sender's own lookup failing, the sender. */
  errorFrom?: string;
  /** REJECT's `--reject-with`, or the ICMP error a failed route produces. */
  icmp?: string;
  /** For `too-big`: the MTU the sender is told. */
  mtu?: number;
  /** For `exited` through a cloud next hop: its type (`Internet`, `VirtualNetworkGateway`). */
  exitsTo?: string;
  /** The sender's own stack refused the packet: the errno its application gets at once. */
  localError?: LocalErrno;
}

/** Ties the walk functions together (they call each other across files). */
export interface WalkCtx {
  cluster: Cluster;
}

/** Hard stop on host visits per branch; TTL normally ends a loop first. */
export const MAX_VISITS = 128;

/** The Hop of a route decision. */
export function routeHop(host: Host, dst: IPv4, c: RouteChoice): Hop {
  const hop: Hop = { host: host.id, kind: 'route', text: describeRoute(dst, c) };
  const e = 'entry' in c ? c.entry : undefined;
  if (e?.origin) hop.origin = e.origin;
  if (e?.implied) hop.implied = e.implied;
  return hop;
}

/** An ending hop plus the End record. */
export function end(w: Walk, host: string, disposition: Disposition, reason: string, extra: Partial<End> = {}): End {
  return { w: withHop(w, { host, kind: 'drop', text: reason }), disposition, at: host, reason, ...extra };
}

/** Splits the walk's probability over route choices. */
export function share(w: Walk, c: RouteChoice, host: string): Walk {
  if (c.share === 1) return w;
  return withAssumption({ ...w, prob: w.prob * c.share }, host, 'multipath route: which next hop a flow takes is the kernel\'s hash of it; each is taken with its weight\'s share');
}

/** Ends the branches a hook did not accept; continues the accepted ones. */
export function afterHook(host: Host, outs: HookOutcome[], hook: string, next: (w: Walk) => End[]): End[] {
  const res: End[] = [];
  for (const o of outs) {
    if (o.verdict === 'ACCEPT') res.push(...next(o.w));
    else if (o.verdict === 'DROP') res.push(end(o.w, host.id, 'dropped', `dropped in ${hook} (${o.why})`));
    else if (o.verdict === 'REJECT') res.push(end(o.w, host.id, 'rejected', `rejected in ${hook} (${o.why}) with ${o.rejectWith ?? 'icmp-port-unreachable'}`, { errorFrom: host.id, icmp: o.rejectWith ?? 'icmp-port-unreachable' }));
    else res.push(end(o.w, host.id, 'loop', `netfilter walk did not end in ${hook}: ${o.why}`));
  }
  return res;
}

function unroutable(w: Walk, host: Host, c: RouteChoice, local: boolean): End[] {
  const w1 = withHop(w, routeHop(host, w.pkt.dst, c));
  const icmp = c.kind === 'prohibit' ? 'icmp-host-prohibited' : c.kind === 'unreachable' ? 'icmp-host-unreachable' : 'icmp-net-unreachable';
  const what = c.kind === 'none' ? `no route to ${formatIPv4(w.pkt.dst)}` : `${c.kind} route for ${formatIPv4(w.pkt.dst)}`;
  if (local) {
    const errno = LOCAL_ROUTE_ERRNO[c.kind] ?? 'ENETUNREACH';
    if (c.kind === 'blackhole') return [end(w1, host.id, 'blackhole', `blackhole route for ${formatIPv4(w.pkt.dst)}: the sender's own stack refuses it (${errno})`, { localError: errno })];
    return [end(w1, host.id, 'no-route', `${what}: the sender's own stack refuses it (${errno})`, { errorFrom: host.id, icmp, localError: errno })];
  }
  if (c.kind === 'blackhole') return [end(w1, host.id, 'blackhole', `blackhole route for ${formatIPv4(w.pkt.dst)}: discarded silently`)];
  return [end(w1, host.id, 'no-route', `${what}: ${icmp} back to ${formatIPv4(w.pkt.src)}`, { errorFrom: host.id, icmp })];
}

/** What a route lookup failing on the sending host returns to the application (ip_route_output → connect/sendmsg). */
const LOCAL_ROUTE_ERRNO: Partial<Record<RouteChoice['kind'], LocalErrno>> = {
  blackhole: 'EINVAL', unreachable: 'EHOSTUNREACH', prohibit: 'EACCES', none: 'ENETUNREACH',
};

/**
 * The sender's OUTPUT hook: a DROP there fails a UDP or ICMP send at once with EPERM
 * (NF_DROP becomes -EPERM in ip_local_out). TCP is not told: the SYN is retransmitted
 * into the same DROP until the connection times out.
 */
function afterLocalOutput(host: Host, outs: HookOutcome[], next: (w: Walk) => End[]): End[] {
  const res: End[] = [];
  for (const o of outs) {
    if (o.verdict === 'DROP' && o.w.pkt.proto !== 'tcp') res.push(end(o.w, host.id, 'dropped', `dropped in OUTPUT (${o.why}) on the sending host: the application's send fails at once (EPERM)`, { localError: 'EPERM' }));
    else res.push(...afterHook(host, [o], 'OUTPUT', next));
  }
  return res;
}

/** A packet created by a process on `host` (a pod, a node, a hostNetwork pod). */
export function sendLocal(cx: WalkCtx, host: Host, w0: Walk): End[] {
  const out: End[] = [];
  for (const c of lookupRoute(host, { dst: w0.pkt.dst, src: w0.pkt.src, mark: w0.pkt.mark })) {
    const w = share(w0, c, host.id);
    if (c.kind !== 'local' && c.kind !== 'unicast') {
      out.push(...unroutable(w, host, c, true));
      continue;
    }
    const w1 = withHop(w, routeHop(host, w.pkt.dst, c));
    const outIface = c.kind === 'local' ? 'lo' : c.dev;
    out.push(...afterLocalOutput(host, runHook(host, 'OUTPUT', w1, { outIface, bridged: false, nextHop: c.kind === 'unicast' ? c.nextHop : undefined }), (w2) => {
      if (w2.pkt.dst === w.pkt.dst && w2.pkt.mark === w.pkt.mark) return postLocal(cx, host, w2, c);
      // ip_route_me_harder: OUTPUT changed where the packet goes.
      const res: End[] = [];
      for (const c2 of lookupRoute(host, { dst: w2.pkt.dst, src: w2.pkt.src, mark: w2.pkt.mark })) {
        const w3 = share(w2, c2, host.id);
        if (c2.kind !== 'local' && c2.kind !== 'unicast') {
          res.push(...unroutable(w3, host, c2, true));
          continue;
        }
        const h = routeHop(host, w3.pkt.dst, c2);
        let w4 = withHop(w3, { ...h, text: `rerouted after OUTPUT: ${h.text}` });
        // A 127/8 source may only leave lo with route_localnet, which kube-proxy turns on for localhost NodePorts.
        if (c2.kind === 'unicast' && w4.pkt.src >>> 24 === 127) w4 = withAssumption(w4, host.id, `net.ipv4.conf.${c2.dev ?? 'all'}.route_localnet=1 (a 127.0.0.0/8 source leaves through ${c2.dev ?? 'an interface'}, as kube-proxy allows for localhost NodePorts)`);
        res.push(...postLocal(cx, host, w4, c2));
      }
      return res;
    }));
  }
  return out;
}

function postLocal(cx: WalkCtx, host: Host, w: Walk, c: RouteChoice & { kind: 'local' | 'unicast' }): End[] {
  if (c.kind === 'local') {
    // Loopback: POSTROUTING then INPUT; conntrack confirms once, after INPUT. PREROUTING's
    // nat is not consulted again for a connection whose NAT is already set up.
    return afterHook(host, runHook(host, 'POSTROUTING', w, { outIface: 'lo', bridged: false, confirm: false }), 'POSTROUTING', (w2) =>
      afterHook(host, runHook(host, 'INPUT', w2, { inIface: 'lo', bridged: false }), 'INPUT', (w3) => arrive(cx, host, w3)));
  }
  return afterHook(host, runHook(host, 'POSTROUTING', w, { outIface: c.dev, bridged: false, nextHop: c.nextHop }), 'POSTROUTING', (w2) =>
    egress(cx, host, c, w2));
}

/** Arrival at the destination's owner: an outer tunnel packet is opened there; any other is delivered. */
function arrive(cx: WalkCtx, host: Host, w: Walk): End[] {
  return w.inner ? decapsulate(cx, host, w) : [deliver(host, w)];
}

/** The packet arrived at its destination's owner. */
export function deliver(host: Host, w: Walk): End {
  const text = `delivered to ${host.id} (${describe(w.pkt)})`;
  return { w: withHop(w, { host: host.id, kind: 'deliver', text, packet: viewOf(w.pkt) }), disposition: 'delivered', at: host.id, reason: text };
}

/** Options of `receive` for a frame that already passed PREROUTING on a bridge (br_netfilter). */
export interface ReceiveOpts {
  prerouted?: boolean;
  /** Bridge port the frame came in on, for `-m physdev` in later hooks. */
  physIn?: string;
}

/** A packet received by `host` on interface `iface` (addressed to it at layer 2). */
export function receive(cx: WalkCtx, host: Host, iface: string, w0: Walk, opts: ReceiveOpts = {}): End[] {
  // skb->mark belongs to one host: it does not travel over a link.
  const w = { ...w0, visits: w0.visits + 1, pkt: w0.pkt.mark ? { ...w0.pkt, mark: 0 } : w0.pkt };
  if (w.visits > MAX_VISITS) return [end(w, host.id, 'loop', `more than ${MAX_VISITS} hosts visited: the packet is going round`)];
  const io: HookIO = { inIface: iface, bridged: false };
  const pre = opts.prerouted ? [{ w, verdict: 'ACCEPT' as const, why: '' }] : runHook(host, 'PREROUTING', w, io);
  return afterHook(host, pre, 'PREROUTING', (w1) => routeReceived(cx, host, iface, w1));
}

/** After PREROUTING: the route decision for a received packet, then INPUT and delivery, or FORWARD, POSTROUTING and egress. */
export function routeReceived(cx: WalkCtx, host: Host, iface: string, w1: Walk): End[] {
  const out: End[] = [];
  for (const c of lookupRoute(host, { dst: w1.pkt.dst, src: w1.pkt.src, mark: w1.pkt.mark, iif: iface })) {
    const w = share(w1, c, host.id);
    if (c.kind === 'local') {
      const w2 = withHop(w, routeHop(host, w.pkt.dst, c));
      out.push(...afterHook(host, runHook(host, 'INPUT', w2, { inIface: iface, bridged: false }), 'INPUT', (w3) => arrive(cx, host, w3)));
      continue;
    }
    if (c.kind !== 'unicast') {
      out.push(...unroutable(w, host, c, false));
      continue;
    }
    if (!host.flags.ipForward) {
      out.push(end(withHop(w, routeHop(host, w.pkt.dst, c)), host.id, 'dropped', `${host.id} does not own ${formatIPv4(w.pkt.dst)} and does not forward (net.ipv4.ip_forward=0)`));
      continue;
    }
    if (host.flags.rpFilterStrict) {
      const back = lookupRoute(host, { dst: w.pkt.src, mark: w.pkt.mark })[0];
      if (back.kind !== 'unicast' || back.dev !== iface) {
        out.push(end(w, host.id, 'dropped', `strict reverse-path filter: ${formatIPv4(w.pkt.src)} is not routed back out ${iface}`));
        continue;
      }
    }
    const ttl = w.pkt.ttl - 1;
    if (ttl <= 0) {
      out.push(end(w, host.id, 'loop', `TTL exceeded at ${host.id}: the packet is going round (routing loop); icmp time-exceeded back to ${formatIPv4(w.pkt.src)}`, { errorFrom: host.id, icmp: 'icmp-time-exceeded' }));
      continue;
    }
    const w2 = withHop({ ...w, pkt: { ...w.pkt, ttl } }, routeHop(host, w.pkt.dst, c));
    out.push(...afterHook(host, runHook(host, 'FORWARD', w2, { inIface: iface, outIface: c.dev, bridged: false }), 'FORWARD', (w3) =>
      afterHook(host, runHook(host, 'POSTROUTING', w3, { outIface: c.dev, bridged: false, nextHop: c.nextHop }), 'POSTROUTING', (w4) => egress(cx, host, c, w4))));
  }
  return out;
}

