/**
 * The network the simulator walks: hosts (pods, nodes, routers, plain hosts),
 * each a Linux network namespace with interfaces, route tables, policy rules and
 * netfilter tables, joined by L2 segments (a node network, a node's bridge with
 * its pods' veth ends). Built from a Topology by build-cluster; every element
 * keeps the Origin of the input line it came from.
 */
import type { IPv4, Prefix } from '../net/ipv4';
import type { Origin, TextPlacement } from '../source';
import type { Ruleset } from './netfilter';
import type { Route, PolicyRule } from './routes';
import type { ResolvConf } from './resolv';
import type { NftRuleset } from './nftables';

/** What a host is in the cluster. */
export type HostKind = 'pod' | 'node' | 'router' | 'host';

/** An address configured on an interface. */
export interface HostAddress {
  ip: IPv4;
  prefixLen: number;
  secondary?: boolean;
  origin?: Origin;
}

/** A network interface of a host. */
export interface HostInterface {
  name: string;
  addresses: HostAddress[];
  /** The L2 segment this interface is attached to (undefined: attached to nothing, e.g. `lo`, an unused docker0). */
  segment?: string;
  /** For a bridge port (a veth's host end): the bridge it is enslaved to. */
  master?: string;
  /** This interface is a bridge (cbr0, cni0, docker0). */
  isBridge?: boolean;
  /** For a bridge port: hairpin mode (a frame may leave through the port it came in on). For a pod bridge: the node's hairpinMode, for ports the model cannot tie to a pod. */
  hairpin?: boolean;
  up: boolean;
  isLoopback?: boolean;
  /** The device's MTU, when a dump gives it (or generated wiring sets it); absent = not checked. */
  mtu?: number;
  /** Link-layer address (lower case), when a dump gives it. */
  mac?: string;
  /** A tunnel device (vxlan, ipip): what it wraps packets in and what it accepts. */
  tunnel?: TunnelDevice;
  origin?: Origin;
}

/**
 * A tunnel device's encapsulation, from `ip -d link` (or generated wiring):
 * VXLAN wraps the frame in UDP to `port` with network id `vni`; IPIP wraps the
 * packet in an IP packet of protocol 4. A receiver opens only what matches a
 * device of its own (the port a VXLAN device listens on, its VNI).
 */
export type TunnelDevice =
  | { kind: 'vxlan'; vni: number; port: number; local?: IPv4; remote?: IPv4; dev?: string; learning: boolean; origin?: Origin }
  | { kind: 'ipip'; local?: IPv4; remote?: IPv4; dev?: string; origin?: Origin };

/** One neighbour-table entry (`ip neigh`): which link-layer address answers for an IPv4 address on a device. */
export interface NeighbourEntry {
  ip: IPv4;
  dev?: string;
  lladdr?: string;
  /** A link-layer address the kernel sends to (not FAILED or INCOMPLETE). */
  usable: boolean;
  /** `proxy`: this host answers ARP for `ip` on `dev`. */
  proxy: boolean;
  /** NUD states as printed. */
  states: string[];
  origin?: Origin;
}

/** One forwarding-database entry of a device (`bridge fdb`): behind which underlay address a link-layer address lives. */
export interface FdbRow {
  lladdr: string;
  dev?: string;
  /** The remote VTEP's underlay address. */
  dst?: IPv4;
  /** Per-entry destination port and VNI (default: the device's). */
  port?: number;
  vni?: number;
  origin?: Origin;
}

/** Routes and policy rules of a host, with where they came from. */
export interface RoutingState {
  /** Routes by table name (`main`, `local`, `default`, or a number as text). Local/broadcast routes are derived from addresses when no dump gives them. */
  tables: Map<string, RouteEntry[]>;
  /** `ip rule` list sorted by priority; the default three when none was given. */
  policy: PolicyRule[];
}

/** A route plus what the model knows of its provenance (generated routes have no origin, only a reason). */
export interface RouteEntry {
  route: Route;
  /** Input line it came from; absent for routes the model derived. */
  origin?: Origin;
  /** Why a derived route exists ("connected route of eth0 10.240.0.4/16", "kubenet default route via cbr0 10.244.0.1"). */
  derivedFrom?: string;
  /**
   * `cloud-system-route`: a route the cloud adds beside the routes of a pasted route table
   * (Azure's VnetLocal for the virtual network's prefixes, 0.0.0.0/0 → Internet), which the
   * table's own rows do not show; a row of the table for the same prefix replaces it.
   */
  implied?: 'cloud-system-route';
}

/** Kernel switches that change how packets are handled. */
export interface HostFlags {
  /** net.ipv4.ip_forward: routers and nodes forward, pods and plain hosts do not. */
  ipForward: boolean;
  /** net.bridge.bridge-nf-call-iptables: bridged IPv4 frames traverse iptables (br_netfilter). */
  brNetfilter: boolean;
  /** Whether rp_filter is strict (1); default loose/off (0), as kubenet nodes run. */
  rpFilterStrict?: boolean;
}

/** A host: one network namespace. */
export interface Host {
  /** Unique id: pods `namespace/name`, others their name. */
  id: string;
  kind: HostKind;
  name: string;
  /** Pods: the node they run on (hostNetwork pods are not separate hosts: they resolve to the node). */
  node?: string;
  namespace?: string;
  labels?: Record<string, string>;
  interfaces: HostInterface[];
  routing: RoutingState;
  /** Netfilter rules; undefined means no rules at all (every hook ACCEPTs). */
  netfilter?: NetfilterState;
  /** nftables rules (`nft list ruleset`); their base chains run beside the iptables tables, by priority. */
  nftables?: NftState;
  flags: HostFlags;
  /** Pods: the resolver configuration in force. */
  resolvConf?: ResolvConf;
  /** Pods: the stub resolver's flavour (glibc by default; musl for Alpine images), which changes the search order. */
  resolver?: 'glibc' | 'musl';
  /** Pods: `dnsPolicy` as written (ClusterFirst when absent); used to derive resolv.conf when none was given. */
  dnsPolicy?: string;
  /** Pods: `dnsConfig` as written; merged into the derived resolv.conf as kubelet does. */
  dnsConfig?: { nameservers: string[]; searches: string[]; options: { name: string; value?: string }[] };
  /** Where the host is declared in the topology. */
  origin?: Origin;
  /** The neighbour table, when known (`neighbours:` or generated wiring); absent = ARP always answered by the owner. */
  neighbours?: NeighbourEntry[];
  /** Forwarding entries of the host's VXLAN devices (`fdb:` or generated wiring). */
  fdb?: FdbRow[];
}

/** The netfilter tables of a host, and where each rule came from. */
export interface NetfilterState {
  ruleset: Ruleset;
  /** Origin of each rule: key `${table}/${chain}/${index}` → origin (index 1-based). */
  origins: Map<string, Origin>;
  /** Whether the rules were generated from `services:` (no dump given), as kube-proxy would write them. */
  generated: boolean;
  /** ipset contents when known (name → members as text); unknown sets make matches assumptions. */
  ipsets?: Map<string, string[]>;
}

/** A host's nftables ruleset and where it was read from. */
export interface NftState {
  ruleset: NftRuleset;
  /** Where the ruleset's text sits in its file (rule origins are computed from it when a step needs one). */
  placement?: TextPlacement;
  /** Tables iptables-nft manages whose rules an `iptables:` dump of the same host already holds: not run twice. */
  replacedByIptables: Set<string>;
}

/** An L2 broadcast domain: the interfaces that can reach each other without routing. */
export interface Segment {
  id: string;
  kind: 'network' | 'bridge';
  /**
   * Members: host id and interface name. In a bridge segment the members are the
   * bridge interface itself and each pod's eth0; `port` names the host-side veth
   * (enslaved to the bridge, with its hairpin flag) through which that pod's frames enter.
   */
  members: { host: string; iface: string; port?: string }[];
  /** The prefix this segment carries, when known (node network, pod CIDR). */
  prefix?: Prefix;
  /** For a bridge segment: the node and bridge interface that own it. */
  bridge?: { host: string; iface: string };
}

/** What the cluster knows beyond hosts: services, for naming DNAT targets and generating rules. */
export interface ServiceInfo {
  id: string;
  name: string;
  namespace: string;
  clusterIP?: IPv4;
  ports: { name?: string; port: number; targetPort: number | string; protocol: 'TCP' | 'UDP' | 'SCTP'; nodePort?: number }[];
  /** Endpoint pod ids / addresses. */
  endpoints: { ip: IPv4; pod?: string }[];
  type: string;
  headless: boolean;
  externalName?: string;
  /** `sessionAffinity: ClientIP`: kube-proxy pins a client to one endpoint (`-m recent`). */
  sessionAffinity?: 'None' | 'ClientIP';
  /** `externalIPs:` and load-balancer addresses: destinations that also lead to this Service. */
  externalIPs?: IPv4[];
  origin?: Origin;
}

/** The whole modelled network. */
export interface Cluster {
  hosts: Map<string, Host>;
  segments: Map<string, Segment>;
  /** Which host owns each address (first owner wins; duplicates are lint's business). */
  addressOwner: Map<IPv4, { host: string; iface: string }>;
  services: ServiceInfo[];
  clusterCIDR?: Prefix;
  serviceCIDR?: Prefix;
  dnsDomain: string;
  /** What the cluster DNS server knows beyond Services: its Corefile and records outside the cluster. */
  dns?: ClusterDns;
  /**
   * hostNetwork pods (id `namespace/name`) → the node host they run on: such a pod
   * is not a host of its own; a trace from or to it starts or ends at the node.
   */
  hostNetworkPods?: Map<string, string>;
  /** Problems found while building (dumps disagreeing with the topology, …). */
  issues: import('../source').Issue[];
}

/** The cluster DNS server's configuration and the outside world's records, as the topology's `dns:` gives them. */
export interface ClusterDns {
  /** CoreDNS Corefile text (bare, or the ConfigMap YAML wrapping one) and where it sits; absent: kubeadm's default Corefile is assumed. */
  corefile?: { text: string; placement?: import('../source').TextPlacement };
  /** Upstream records: name → addresses (IPv4/IPv6 text) or one CNAME target. Names not listed answer `unknown`. */
  upstream?: Record<string, string[]>;
}
