/**
 * The topology file (`*.netsim.yaml`, version 1) after reading: every value keeps
 * the span of its YAML node so diagnostics land on the offending key or value,
 * and every `<source>` is resolved to its text and where that text sits.
 * See docs/topology.md for the user-facing contract.
 */
import type { IPv4, Prefix } from '../net/ipv4';
import type { Origin, Span, TextPlacement } from '../source';
import type { Ruleset } from './netfilter';
import type { RouteDump, Route, PolicyRule } from './routes';
import type { InterfaceDump } from './interfaces';
import type { ResolvConf } from './resolv';
import type { NftRuleset } from './nftables';
import type { FdbDump, NeighbourDump } from './links';

/** A pasted or referenced piece of command output, located. */
export interface SourceText {
  text: string;
  /** Where `text` sits: the topology file (block scalar) or a referenced file. */
  placement: TextPlacement;
  /** `{file: …}` as written, when the text came from a file. */
  fileRef?: string;
  /** Span of the YAML value in the topology file (the block scalar or the `{file: …}` map). */
  span: Span;
  /** The value was YAML (an inline route list), not pasted output: `text` is then the whole topology file. */
  inline?: boolean;
}

/** A parsed source together with the text it came from. */
export interface Parsed<T> {
  value: T;
  source: SourceText;
}

/** iptables for a host: one dump of all tables, or one source per table (save or listing format). */
export interface IptablesSources {
  /** Tables merged from every source (a later source for the same table replaces the earlier). */
  ruleset: Ruleset;
  sources: SourceText[];
  /** Origin of each rule, key `${table}/${chain}/${index}` (index 1-based), in the file its source sits in. */
  origins?: Map<string, Origin>;
}

/** Routes given inline as a YAML list (`[{to: 10.244.1.0/24, via: 10.240.0.5}]`) become ordinary routes. */
export type RouteSource = Parsed<RouteDump>;

/** Fields common to routers, hosts and nodes. */
export interface TopologyMachine {
  name: string;
  nameSpan: Span;
  /** The whole YAML map of this entry. */
  span: Span;
  ip?: IPv4;
  ipSpan?: Span;
  interfaces?: Parsed<InterfaceDump>;
  routes?: RouteSource;
  iptables?: IptablesSources;
  /** `nftables:` (`nft list ruleset` output). */
  nftables?: Parsed<NftRuleset>;
  /** `ipRules:` (`ip rule` output); absent = the default three rules. */
  ipRules?: Parsed<PolicyRule[]>;
  /** `ipForward:` (net.ipv4.ip_forward); absent = true for nodes and routers, false for hosts. */
  ipForward?: boolean;
}

/** An L3 device outside the nodes: a cloud route table, a VPC router, a physical gateway. Forwards packets. */
export type TopologyRouter = TopologyMachine;

/** A machine outside the cluster that does not forward: a client, an upstream DNS server. */
export type TopologyHost = TopologyMachine;

/** A Kubernetes node. */
export interface TopologyNode extends TopologyMachine {
  ip: IPv4;
  podCIDR?: Prefix;
  podCIDRSpan?: Span;
  /** Bridge name, default `cbr0`. */
  bridge: string;
  bridgeNfCallIptables: boolean;
  hairpinMode: boolean;
  /** `neighbours:` (`ip neigh show`): the neighbour table, the overlay's next hops included. */
  neighbours?: Parsed<NeighbourDump>;
  /** `fdb:` (`bridge fdb show`): where each VTEP's link-layer address lives on the underlay. */
  fdb?: Parsed<FdbDump>;
}

/**
 * `spec.network`: how the pods of nodes without dumps are wired and how their
 * traffic crosses nodes. Defaults filled in: kubenet, flannel's vxlan, Calico's
 * ipip; VNI and port per plugin (flannel 1 / 8472, Calico 4096 / 4789); MTU 1500.
 */
export interface TopologyNetwork {
  plugin: 'kubenet' | 'flannel' | 'calico' | 'ptp';
  /** `none` for plugins without a choice (kubenet, ptp). */
  backend: 'none' | 'vxlan' | 'host-gw' | 'ipip' | 'bgp';
  vni: number;
  port: number;
  /** The underlay MTU. */
  mtu: number;
  span: Span;
}

/** A pod. */
export interface TopologyPod {
  name: string;
  namespace: string;
  nameSpan: Span;
  span: Span;
  node: string;
  nodeSpan?: Span;
  /** Absent only for hostNetwork pods, which take the node's address. */
  ip?: IPv4;
  ipSpan?: Span;
  labels: Record<string, string>;
  hostNetwork: boolean;
  /** The pod's own `ip addr` / `ifconfig` output, when pasted (then it is the truth about the pod's interfaces). */
  interfaces?: Parsed<InterfaceDump>;
  routes?: RouteSource;
  resolvConf?: Parsed<ResolvConf>;
  /** `dnsPolicy` (ClusterFirst default, ClusterFirstWithHostNet, Default, None). */
  dnsPolicy?: string;
  /** `dnsConfig` for dnsPolicy None / extra options. */
  dnsConfig?: { nameservers: string[]; searches: string[]; options: { name: string; value?: string }[] };
  /** Resolver flavour, for DNS: glibc (default) or musl (Alpine images). */
  resolver?: 'glibc' | 'musl';
  /** Readiness: a pod that is not ready is not a Service endpoint. Default true. */
  ready: boolean;
}

/** One Service port. */
export interface TopologyServicePort {
  name?: string;
  port: number;
  targetPort: number | string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  nodePort?: number;
  span: Span;
}

/** A Service. */
export interface TopologyService {
  name: string;
  namespace: string;
  nameSpan: Span;
  span: Span;
  /** Undefined for headless (`clusterIP: None`). */
  clusterIP?: IPv4;
  headless: boolean;
  clusterIPSpan?: Span;
  selector?: Record<string, string>;
  /** Explicit endpoints for Services without a selector. */
  endpoints?: IPv4[];
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  externalName?: string;
  ports: TopologyServicePort[];
  /** `sessionAffinity: ClientIP`. */
  sessionAffinity?: 'None' | 'ClientIP';
  externalTrafficPolicy?: 'Cluster' | 'Local';
  internalTrafficPolicy?: 'Cluster' | 'Local';
  loadBalancerIPs?: IPv4[];
  externalIPs?: IPv4[];
}

/** Extra DNS knowledge: a CoreDNS Corefile and records outside the cluster. */
export interface TopologyDns {
  corefile?: SourceText;
  /** Upstream records: name → addresses (or a CNAME target). */
  upstream?: Record<string, string[]>;
  /** Where each upstream name is written (its YAML key), for diagnostics. */
  upstreamSpans?: Record<string, Span>;
}

/** A whole topology file. */
export interface Topology {
  /** The topology file's path as given. */
  file: string;
  name: string;
  clusterCIDR?: Prefix;
  serviceCIDR?: Prefix;
  dnsDomain: string;
  routers: TopologyRouter[];
  hosts: TopologyHost[];
  nodes: TopologyNode[];
  pods: TopologyPod[];
  services: TopologyService[];
  dns?: TopologyDns;
  /** `spec.network`; absent = kubenet, as before. */
  network?: TopologyNetwork;
  /** Every `{file: …}` the topology references (relative path as written → resolved path). */
  referencedFiles: string[];
}

/** Reads a file referenced by a topology; the core never touches the file system itself. */
export interface FileReader {
  /**
   * Returns the text of `path` (relative to the topology file's folder), or an
   * error message (missing, outside the workspace, not text).
   */
  read(path: string): { text: string } | { error: string };
  /**
   * The entries of folder `path` (for `kubernetes:` sources that are folders);
   * `outside`: a symbolic link whose target leaves the workspace, not to be followed.
   * Absent: the reader gives files only.
   */
  list?(path: string): { entries: { name: string; dir: boolean; outside?: boolean }[] } | { error: string };
}

/** Inline YAML route lists are converted to Route values with these spans. */
export type InlineRoute = Route;
