/**
 * L2 segments: which interfaces reach each other without a router. One
 * `network` segment per connected prefix shared by routers, hosts and nodes
 * (the node network 10.240.0.0/16), one `bridge` segment per node bridge whose
 * members are the bridge itself and the eth0 of each pod on the node. Sets each
 * member interface's `segment`.
 */
import { formatPrefix } from '../net/ipv4';
import type { Host, HostInterface, Segment } from '../model/cluster';
import { connectedPrefix } from './build-routing';

/** Id of a node's bridge segment. */
export const bridgeSegmentId = (node: string, bridge: string): string => `bridge:${node}/${bridge}`;

/** Which pod eth0 plugs into which bridge port, as the builder knows it. */
export interface PodAttachment {
  pod: string;
  node: string;
  iface: string;
  /** Host-side veth, when known. */
  port?: string;
}

/** Builds every segment and marks interfaces with their segment id. */
export function buildSegments(hosts: Map<string, Host>, bridges: Map<string, string>, pods: PodAttachment[]): Map<string, Segment> {
  const segments = new Map<string, Segment>();
  for (const h of hosts.values()) {
    if (h.kind === 'pod') continue;
    for (const i of h.interfaces) {
      if (h.kind === 'node' && bridges.get(h.id) === i.name) {
        const id = bridgeSegmentId(h.id, i.name);
        segments.set(id, { id, kind: 'bridge', members: [{ host: h.id, iface: i.name }], prefix: connectedPrefix(i), bridge: { host: h.id, iface: i.name } });
        i.segment = id;
        continue;
      }
      if (!attachable(i)) continue;
      const p = connectedPrefix(i)!;
      const id = `net:${formatPrefix(p)}`;
      const seg = segments.get(id) ?? { id, kind: 'network', members: [], prefix: p };
      seg.members.push({ host: h.id, iface: i.name });
      segments.set(id, seg);
      i.segment = id;
    }
  }
  for (const a of pods) {
    const bridge = bridges.get(a.node);
    const seg = bridge ? segments.get(bridgeSegmentId(a.node, bridge)) : undefined;
    const iface = hosts.get(a.pod)?.interfaces.find((i) => i.name === a.iface);
    if (!seg || !iface) continue;
    seg.members.push({ host: a.pod, iface: a.iface, port: a.port });
    iface.segment = seg.id;
  }
  return segments;
}

/**
 * Interfaces that join a network segment: up, with an address on a real network.
 * Bridges other than the node's pod bridge (an unused docker0), bridge ports and
 * loopback join none.
 */
function attachable(i: HostInterface): boolean {
  return i.up && !i.isLoopback && !i.isBridge && !i.master && connectedPrefix(i) !== undefined;
}
