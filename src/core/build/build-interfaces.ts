/**
 * The interfaces of each host. When an `interfaces:` dump is given it is the
 * truth (it is what the kernel had); otherwise they are derived the way kubenet
 * sets a node up: `eth0` on the node network, the bridge (`cbr0`) holding the
 * first address of the podCIDR, one host-side veth per pod enslaved to the
 * bridge; a pod gets `eth0` with its address and the podCIDR's length.
 */
import { type IPv4, type Prefix, contains, firstHost, formatIPv4, formatPrefix, prefix } from '../net/ipv4';
import { type Issue, type Span, originOf } from '../source';
import type { Parsed, Topology, TopologyMachine, TopologyNode, TopologyPod } from '../model/topology';
import type { InterfaceDump } from '../model/interfaces';
import type { HostInterface } from '../model/cluster';
import { placedSpan } from './placement';
import { linkOf } from './build-links';

/** What interface derivation needs: the topology, where to put issues, and the networks the dumps reveal. */
export interface InterfaceContext {
  t: Topology;
  issues: Issue[];
  /** Connected prefixes seen in any interface dump, then in any route dump (more trusted first). */
  known: { fromAddresses: Prefix[]; fromRoutes: Prefix[] };
}

/** Names that are bridges by convention (kubenet, CNI bridge plugin, Docker, libvirt). */
const BRIDGE_NAME = /^(?:cbr\d*|cni\d*|docker\d*|br-.*|virbr\d*|kube-bridge)$/;

function info(ctx: InterfaceContext, code: string, span: Span, message: string, severity: Issue['severity'] = 'info'): void {
  ctx.issues.push({ code, severity, span, message, file: ctx.t.file });
}

/** Collects the networks the dumps show, used to size interfaces the topology gives only an address for. */
export function knownNetworks(t: Topology): InterfaceContext['known'] {
  const fromAddresses: Prefix[] = [];
  const fromRoutes: Prefix[] = [];
  const machines: { interfaces?: Parsed<InterfaceDump>; routes?: TopologyMachine['routes'] }[] = [...t.routers, ...t.hosts, ...t.nodes, ...t.pods];
  for (const m of machines) {
    for (const i of m.interfaces?.value.interfaces ?? []) {
      for (const a of i.addresses) if (a.prefixLen < 32 && (a.ip >>> 24) !== 127) fromAddresses.push(prefix(a.ip, a.prefixLen));
    }
    for (const r of m.routes?.value.routes ?? []) {
      const direct = r.type === 'unicast' && r.nexthops.length > 0 && r.nexthops.every((h) => h.via === undefined && h.dev !== undefined);
      if (direct && r.dst.len >= 8 && r.dst.len < 32) fromRoutes.push(r.dst);
    }
  }
  return { fromAddresses, fromRoutes };
}

/** Prefix length for an address the topology gives without one: the most specific network a dump shows around it, else /24 (said in an info issue). */
export function networkLength(ctx: InterfaceContext, ip: IPv4, who: string, span: Span): number {
  for (const list of [ctx.known.fromAddresses, ctx.known.fromRoutes]) {
    const hits = list.filter((p) => contains(p, ip)).sort((a, b) => b.len - a.len);
    if (hits.length) return hits[0].len;
  }
  info(ctx, 'derived-network-prefix', span, `${who}: no dump shows the network around ${formatIPv4(ip)}; assumed ${formatPrefix(prefix(ip, 24))}`);
  return 24;
}

const loopback = (): HostInterface => ({ name: 'lo', addresses: [{ ip: 0x7f000001, prefixLen: 8 }], up: true, isLoopback: true });

/** Interfaces read from a dump, each address keeping the line it came from. */
export function interfacesFromDump(dump: Parsed<InterfaceDump>, ctx: InterfaceContext): HostInterface[] {
  const src = dump.source;
  return dump.value.interfaces.map((i) => {
    const isLoopback = i.flags.includes('LOOPBACK') || i.linkType === 'link/loopback' || i.name === 'lo';
    const span = placedSpan(ctx.t, i.span, src);
    return {
      name: i.name,
      addresses: i.addresses.map((a) => ({
        ip: a.ip, prefixLen: a.prefixLen, secondary: a.secondary,
        origin: { ...originOf(placedSpan(ctx.t, a.span, src), src.text.slice(a.span.start, a.span.end), undefined), file: src.placement.file },
      })),
      master: i.master,
      isBridge: BRIDGE_NAME.test(i.name) || i.link?.kind === 'bridge' || undefined,
      // `ip -o addr` prints neither flags nor state: an interface carrying addresses
      // with nothing saying it is down is taken as up (DOWN is printed when it is).
      up: i.flags.includes('UP') || i.state === 'UP' || (i.flags.length === 0 && (i.state === undefined || i.state === 'UNKNOWN')),
      isLoopback: isLoopback || undefined,
      ...linkOf(ctx.t, i, src),
      origin: { ...originOf(span, src.text.slice(i.span.start, i.span.end).split(/\r?\n/)[0], undefined), file: src.placement.file },
    };
  });
}

/** The host-side veth name the model gives a pod's port when no dump names it. */
export const vethName = (pod: TopologyPod): string => `veth-${pod.name}`;

function dumpLacks(ctx: InterfaceContext, ifaces: HostInterface[], ip: IPv4, who: string, span: Span): void {
  if (!ifaces.some((i) => i.addresses.some((a) => a.ip === ip))) {
    info(ctx, 'dump-disagrees-with-topology', span, `${who}: the interfaces dump has no address ${formatIPv4(ip)}; the dump is followed`, 'warning');
  }
}

/** A router's or plain host's interfaces. */
export function machineInterfaces(ctx: InterfaceContext, m: TopologyMachine, kind: string): HostInterface[] {
  if (m.interfaces) {
    const out = interfacesFromDump(m.interfaces, ctx);
    if (m.ip !== undefined) dumpLacks(ctx, out, m.ip, `${kind} ${m.name}`, m.ipSpan ?? m.nameSpan);
    return out;
  }
  if (m.ip === undefined) return [loopback()];
  const len = networkLength(ctx, m.ip, `${kind} ${m.name}`, m.ipSpan ?? m.nameSpan);
  return [loopback(), { name: 'eth0', addresses: [{ ip: m.ip, prefixLen: len }], up: true }];
}

/** A node's interfaces: the dump, or eth0 + bridge + one veth port per (non-hostNetwork) pod. */
export function nodeInterfaces(ctx: InterfaceContext, n: TopologyNode, pods: TopologyPod[]): HostInterface[] {
  if (n.interfaces) {
    const out = interfacesFromDump(n.interfaces, ctx);
    dumpLacks(ctx, out, n.ip, `node ${n.name}`, n.ipSpan ?? n.nameSpan);
    const bridge = out.find((i) => i.name === n.bridge);
    if (bridge) {
      bridge.isBridge = true;
      const a = bridge.addresses[0];
      if (n.podCIDR && a && !(a.prefixLen === n.podCIDR.len && contains(n.podCIDR, a.ip))) {
        info(ctx, 'dump-disagrees-with-topology', n.podCIDRSpan ?? n.nameSpan, `node ${n.name}: ${n.bridge} has ${formatIPv4(a.ip)}/${a.prefixLen} in the dump, not an address of podCIDR ${formatPrefix(n.podCIDR)}; the dump is followed`, 'warning');
      }
    }
    else if (pods.length) info(ctx, 'node-bridge-missing', n.nameSpan, `node ${n.name}: the interfaces dump has no bridge "${n.bridge}"; its pods are attached to nothing`, 'warning');
    // hairpinMode is the node's setting for every port of its pod bridge, whatever the CNI
    // named the ports (veth…, cali…, vethwe-…): the bridge carries it for ports the dump
    // does not tie to a pod.
    if (bridge) bridge.hairpin = n.hairpinMode;
    let assumed = false;
    const dumpedByName = new Map(n.interfaces.value.interfaces.map((d) => [d.name, d]));
    for (const i of out) {
      if (/^veth/.test(i.name) && !i.master && bridge) {
        i.master = n.bridge;
        assumed = true;
      }
      if (i.master === n.bridge) i.hairpin = n.hairpinMode;
      // `ip -d` says each port's own hairpin setting: that, not the topology's default, is the truth.
      const dumped = dumpedByName.get(i.name);
      if (dumped?.bridgePort) {
        i.hairpin = dumped.bridgePort.hairpin;
        if (dumped.master) i.master = dumped.master;
      }
    }
    if (assumed) info(ctx, 'assumed-bridge-port', n.nameSpan, `node ${n.name}: the dump does not say which bridge the veth interfaces belong to; assumed ${n.bridge}`);
    return out;
  }
  const len = networkLength(ctx, n.ip, `node ${n.name}`, n.ipSpan ?? n.nameSpan);
  const out: HostInterface[] = [loopback(), { name: 'eth0', addresses: [{ ip: n.ip, prefixLen: len }], up: true }];
  if (!n.podCIDR && pods.length) info(ctx, 'node-bridge-missing', n.nameSpan, `node ${n.name}: no podCIDR and no interfaces dump, so no ${n.bridge} bridge; its pods are attached to nothing`, 'warning');
  if (n.podCIDR) {
    out.push({ name: n.bridge, addresses: [{ ip: firstHost(n.podCIDR), prefixLen: n.podCIDR.len }], up: true, isBridge: true, hairpin: n.hairpinMode });
    for (const p of pods) out.push({ name: vethName(p), addresses: [], master: n.bridge, hairpin: n.hairpinMode, up: true });
  }
  return out;
}

/** A pod's interfaces: the dump, or lo + eth0 with the pod address and the node's podCIDR length. */
export function podInterfaces(ctx: InterfaceContext, p: TopologyPod, node: TopologyNode | undefined): HostInterface[] {
  const who = `pod ${p.namespace}/${p.name}`;
  if (p.interfaces) {
    const out = interfacesFromDump(p.interfaces, ctx);
    if (p.ip !== undefined) dumpLacks(ctx, out, p.ip, who, p.ipSpan ?? p.nameSpan);
    return out;
  }
  if (p.ip === undefined) return [loopback()];
  let len = node?.podCIDR?.len;
  if (len === undefined) {
    len = 24;
    info(ctx, 'derived-network-prefix', p.ipSpan ?? p.nameSpan, `${who}: its node has no podCIDR; assumed /24`);
  }
  // An address outside the node's podCIDR is lint's `pod-outside-pod-cidr`, said there once.
  return [loopback(), { name: 'eth0', addresses: [{ ip: p.ip, prefixLen: len }], up: true }];
}
