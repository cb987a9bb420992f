/**
 * A small, serialisable picture of the cluster for drawing: which routers sit on
 * the node network, which nodes carry which bridge and pods, which plain hosts
 * exist, and which Services have ClusterIPs. The Cluster itself holds Maps and
 * uint32 addresses that do not survive `postMessage`/JSON; this view does.
 */
import type { Cluster, Host, HostInterface, Segment } from '../core/model/cluster';
import { formatIPv4, formatPrefix } from '../core/net/ipv4';

/** An interface as drawn: its name, addresses in CIDR form and the segment it joins. */
export interface InterfaceView {
  name: string;
  /** `10.240.0.4/16`. */
  addresses: string[];
  segment?: string;
}

/** A host drawn as a box (router, plain host, pod, node). */
export interface HostView {
  /** Host id as hops name it (`default/ubuntu`, `k8s-agent-0`). */
  id: string;
  name: string;
  kind: 'pod' | 'node' | 'router' | 'host';
  /** Interfaces that carry traffic (loopback and unattached interfaces without addresses left out). */
  interfaces: InterfaceView[];
}

/** A Linux bridge inside a node (cbr0, cni0) and the segment of its ports. */
export interface BridgeView {
  name: string;
  addresses: string[];
  segment?: string;
}

/** A pod drawn inside its node, under the bridge its eth0 is plugged into. */
export interface PodView extends HostView {
  kind: 'pod';
  namespace?: string;
  /** Name of the node bridge its interface shares a segment with, when it does. */
  bridge?: string;
}

/** A node: its own interfaces, its bridges and the pods it runs. */
export interface NodeView extends HostView {
  kind: 'node';
  bridges: BridgeView[];
  pods: PodView[];
}

/** A Service as a label in the services band. */
export interface ServiceView {
  id: string;
  name: string;
  namespace: string;
  clusterIP?: string;
  /** `53/UDP`, `80:30080/TCP`. */
  ports: string[];
  /** Endpoint addresses, with the pod id when known. */
  endpoints: { ip: string; pod?: string }[];
  type: string;
}

/** An L2 segment: which hosts it joins. */
export interface SegmentView {
  id: string;
  kind: 'network' | 'bridge';
  prefix?: string;
  /** Host ids of the members, in order, without duplicates. */
  hosts: string[];
  /** For a bridge: the node that owns it. */
  owner?: string;
}

/** The drawable cluster. */
export interface ClusterView {
  routers: HostView[];
  nodes: NodeView[];
  /** Plain hosts, and pods whose node is not modelled. */
  hosts: HostView[];
  services: ServiceView[];
  segments: SegmentView[];
  clusterCIDR?: string;
  serviceCIDR?: string;
}

/** A cluster with nothing in it, for traces that have no cluster to draw. */
export const EMPTY_CLUSTER_VIEW: ClusterView = Object.freeze({ routers: [], nodes: [], hosts: [], services: [], segments: [] }) as ClusterView;

/** Builds the drawable picture of `cluster`; hosts keep the order the cluster lists them in. */
export function toClusterView(cluster: Cluster): ClusterView {
  const routers: HostView[] = [];
  const nodes: NodeView[] = [];
  const hosts: HostView[] = [];
  const pods: Host[] = [];
  const nodeById = new Map<string, NodeView>();
  for (const host of cluster.hosts.values()) {
    if (host.kind === 'pod') { pods.push(host); continue; }
    const base = { id: host.id, name: host.name, interfaces: drawnInterfaces(host.interfaces.filter((i) => !i.isBridge)) };
    if (host.kind === 'node') {
      const bridges = host.interfaces.filter((i) => i.isBridge).map((i) => ({ name: i.name, addresses: cidrs(i), segment: i.segment }));
      const node: NodeView = { ...base, kind: 'node', bridges, pods: [] };
      nodes.push(node);
      nodeById.set(host.id, node);
    } else if (host.kind === 'router') {
      routers.push({ ...base, kind: 'router' });
    } else {
      hosts.push({ ...base, kind: 'host' });
    }
  }
  for (const pod of pods) {
    const node = pod.node !== undefined ? nodeById.get(pod.node) : undefined;
    const interfaces = drawnInterfaces(pod.interfaces);
    const segments = new Set(interfaces.map((i) => i.segment));
    const bridge = node?.bridges.find((b) => b.segment !== undefined && segments.has(b.segment))?.name;
    const view: PodView = { id: pod.id, name: pod.name, kind: 'pod', interfaces, namespace: pod.namespace, bridge };
    if (node) node.pods.push(view);
    else hosts.push(view);
  }
  return {
    routers,
    nodes,
    hosts,
    services: cluster.services.map((s) => ({
      id: s.id,
      name: s.name,
      namespace: s.namespace,
      clusterIP: s.clusterIP !== undefined ? formatIPv4(s.clusterIP) : undefined,
      ports: s.ports.map((p) => `${p.port}${p.nodePort !== undefined ? `:${p.nodePort}` : ''}/${p.protocol}`),
      endpoints: s.endpoints.map((e) => ({ ip: formatIPv4(e.ip), pod: e.pod })),
      type: s.type,
    })),
    segments: [...cluster.segments.values()].map(segmentView),
    clusterCIDR: cluster.clusterCIDR ? formatPrefix(cluster.clusterCIDR) : undefined,
    serviceCIDR: cluster.serviceCIDR ? formatPrefix(cluster.serviceCIDR) : undefined,
  };
}

/** Loopback never carries a hop between hosts, and an unattached interface without addresses (an idle docker0) says nothing. */
function drawnInterfaces(ifaces: HostInterface[]): InterfaceView[] {
  return ifaces
    .filter((i) => !i.isLoopback && (i.segment !== undefined || i.addresses.length > 0))
    .map((i) => ({ name: i.name, addresses: cidrs(i), segment: i.segment }));
}

function cidrs(i: HostInterface): string[] {
  return i.addresses.map((a) => `${formatIPv4(a.ip)}/${a.prefixLen}`);
}

function segmentView(s: Segment): SegmentView {
  const hosts: string[] = [];
  for (const m of s.members) if (!hosts.includes(m.host)) hosts.push(m.host);
  return { id: s.id, kind: s.kind, prefix: s.prefix ? formatPrefix(s.prefix) : undefined, hosts, owner: s.bridge?.host };
}
