/**
 * The link layer of a host from its dumps: a device's MTU, link-layer address
 * and tunnel settings (`ip -d link` / `ip -d addr`), the neighbour table
 * (`ip neigh`) and the VXLAN forwarding entries (`bridge fdb`), each keeping
 * the line it came from so a trace step can point at it ("flannel.1 fdb line 3").
 */
import type { Interface } from '../model/interfaces';
import type { FdbDump, NeighbourDump } from '../model/links';
import type { Parsed, Topology } from '../model/topology';
import type { FdbRow, HostInterface, NeighbourEntry, TunnelDevice } from '../model/cluster';
import { placedOrigin } from './placement';

/** The kernel's VXLAN port when `dstport` is not given (IANA's 4789 must be asked for). */
export const VXLAN_DEFAULT_PORT = 8472;

/** MTU, MAC and tunnel settings of a dumped interface, to merge into its HostInterface. */
export function linkOf(t: Topology, i: Interface, src: Parsed<unknown>['source']): Pick<HostInterface, 'mtu' | 'mac' | 'tunnel'> {
  const out: Pick<HostInterface, 'mtu' | 'mac' | 'tunnel'> = {};
  if (i.mtu !== undefined) out.mtu = i.mtu;
  if (i.mac !== undefined) out.mac = i.mac;
  const l = i.link;
  if (l?.kind === 'vxlan' || l?.kind === 'ipip') {
    const origin = placedOrigin(t, l.span, src.text.slice(l.span.start, l.span.end), src);
    let tunnel: TunnelDevice;
    if (l.kind === 'vxlan') {
      tunnel = { kind: 'vxlan', vni: l.vni, port: l.dstport ?? VXLAN_DEFAULT_PORT, learning: l.learning, origin };
      if (l.local !== undefined) tunnel.local = l.local;
      if (l.remote !== undefined) tunnel.remote = l.remote;
      if (l.dev) tunnel.dev = l.dev;
    } else {
      tunnel = { kind: 'ipip', origin };
      if (l.local !== undefined) tunnel.local = l.local;
      if (l.remote !== undefined) tunnel.remote = l.remote;
      if (l.dev) tunnel.dev = l.dev;
    }
    out.tunnel = tunnel;
  } else if (i.linkType === 'link/ipip') {
    // `ip addr` without -d still names the kind: an IPIP device (Calico's tunl0) with endpoints `any`.
    out.tunnel = { kind: 'ipip' };
  }
  return out;
}

/** The neighbour table of a `neighbours:` dump (IPv4 entries; IPv6 ones say nothing to an IPv4 walk). */
export function neighboursFromDump(t: Topology, d: Parsed<NeighbourDump>): NeighbourEntry[] {
  const out: NeighbourEntry[] = [];
  for (const n of d.value.neighbours) {
    if (n.ip === undefined) continue;
    const usable = n.lladdr !== undefined && !n.states.includes('FAILED') && !n.states.includes('INCOMPLETE');
    const e: NeighbourEntry = { ip: n.ip, usable, proxy: n.proxy, states: n.states, origin: placedOrigin(t, n.span, n.raw.trim(), d.source) };
    if (n.dev) e.dev = n.dev;
    if (n.lladdr) e.lladdr = n.lladdr;
    out.push(e);
  }
  return out;
}

/** The forwarding entries of an `fdb:` dump that can matter to a walk: those with a `dst` (VXLAN devices' entries). */
export function fdbFromDump(t: Topology, d: Parsed<FdbDump>): FdbRow[] {
  const out: FdbRow[] = [];
  for (const e of d.value.entries) {
    if (e.dst === undefined) continue;
    const r: FdbRow = { lladdr: e.lladdr, dst: e.dst, origin: placedOrigin(t, e.span, e.raw.trim(), d.source) };
    if (e.dev) r.dev = e.dev;
    if (e.port !== undefined) r.port = e.port;
    if (e.vni !== undefined) r.vni = e.vni;
    out.push(r);
  }
  return out;
}

