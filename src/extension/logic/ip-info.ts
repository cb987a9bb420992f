/**
 * What an address is in a modelled cluster, in the words a hover shows: which
 * host owns it (pod, node, router, host, and on which interface or bridge),
 * whether it is a Service's ClusterIP (and with which ports), and which of the
 * cluster's ranges contain it.
 */
import { contains, formatPrefix, parseIPv4 } from '../../core/net/ipv4';
import type { Cluster, HostKind, ServiceInfo } from '../../core/model/cluster';

/** A host that has the address on one of its interfaces. */
export interface AddressOwner {
  host: string;
  kind: HostKind;
  iface: string;
  /** The interface is a Linux bridge (cbr0, cni0, docker0). */
  bridge: boolean;
  /** For pods: the node they run on. */
  node?: string;
}

/** A range of the cluster the address falls in, with what the range is. */
export interface AddressRange {
  cidr: string;
  what: string;
}

/** Everything the cluster says about one address. */
export interface AddressInfo {
  ip: string;
  owners: AddressOwner[];
  /** Services whose ClusterIP (or external / load-balancer address) it is. */
  services: ServiceInfo[];
  /** Services that list it as an endpoint. */
  endpointOf: ServiceInfo[];
  ranges: AddressRange[];
}

/** Describes `ip` (dotted quad) in `cluster`; undefined when it is not an address. */
export function describeAddress(cluster: Cluster, ip: string): AddressInfo | undefined {
  const a = parseIPv4(ip);
  if (a === undefined) return undefined;
  const owners: AddressOwner[] = [];
  for (const h of cluster.hosts.values()) {
    for (const ifc of h.interfaces) {
      if (ifc.addresses.some((x) => x.ip === a)) {
        owners.push({ host: h.id, kind: h.kind, iface: ifc.name, bridge: ifc.isBridge === true, node: h.node });
      }
    }
  }
  const services = cluster.services.filter((s) => s.clusterIP === a);
  const endpointOf = cluster.services.filter((s) => s.endpoints.some((e) => e.ip === a));
  const ranges: AddressRange[] = [];
  if (cluster.clusterCIDR && contains(cluster.clusterCIDR, a)) ranges.push({ cidr: formatPrefix(cluster.clusterCIDR), what: 'cluster (pod) network' });
  if (cluster.serviceCIDR && contains(cluster.serviceCIDR, a)) ranges.push({ cidr: formatPrefix(cluster.serviceCIDR), what: 'Service ClusterIP range' });
  for (const seg of cluster.segments.values()) {
    if (!seg.prefix || !contains(seg.prefix, a)) continue;
    const what = seg.kind === 'bridge' && seg.bridge
      ? `pod network of ${seg.bridge.host} (bridge ${seg.bridge.iface})`
      : `network ${seg.id}`;
    ranges.push({ cidr: formatPrefix(seg.prefix), what });
  }
  return { ip, owners, services, endpointOf, ranges };
}

/** The protocol and port a trace to a Service address should use: its first port, as a client would. */
export function servicePortOf(s: ServiceInfo): { protocol: 'tcp' | 'udp'; port: number } | undefined {
  const p = s.ports.find((x) => x.protocol !== 'SCTP');
  return p ? { protocol: p.protocol === 'UDP' ? 'udp' : 'tcp', port: p.port } : undefined;
}

/** A one-line label of what the address is ("pod default/ubuntu on k8s-agent-0, eth0"). */
export function addressLabel(info: AddressInfo): string {
  const parts: string[] = [];
  for (const s of info.services) parts.push(`Service ${s.namespace}/${s.name} ClusterIP`);
  for (const o of info.owners) {
    const where = o.bridge ? `bridge ${o.iface}` : o.iface;
    if (o.kind === 'pod') parts.push(`pod ${o.host}${o.node ? ` on ${o.node}` : ''} (${where})`);
    else parts.push(`${o.kind} ${o.host} (${where})`);
  }
  if (parts.length === 0) parts.push(info.ranges.length ? 'not owned by any modelled host' : 'outside the modelled network');
  return parts.join('; ');
}
