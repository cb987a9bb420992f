/**
 * The link layer as iproute2 prints it: what kind of device an interface is
 * (`ip -d link show`'s detail line: `vxlan id 1 local … dstport 8472`, `ipip
 * remote any local …`, `veth`, `bridge …`, `bridge_slave … hairpin on`), the
 * neighbour table (`ip neigh show`: IPv4 address → link-layer address) and a
 * VXLAN device's forwarding database (`bridge fdb show`: link-layer address →
 * underlay destination). Together they say where an overlay packet goes: the
 * route's next hop → its `lladdr` (neighbour) → the VTEP's underlay address (fdb).
 */
import type { IPv4 } from '../net/ipv4';
import type { Span } from '../source';

/** A VXLAN device (`vxlan id 1 local 10.240.0.4 dev eth0 srcport 0 0 dstport 8472 nolearning …`). */
export interface VxlanLink {
  kind: 'vxlan';
  /** The VXLAN network identifier (`id`): a receiver accepts only its own. */
  vni: number;
  /** `local`: the outer source address. */
  local?: IPv4;
  /** `remote`: a fixed peer (point-to-point VXLAN); flannel and Calico leave it unset and use the fdb. */
  remote?: IPv4;
  /** `group`: a multicast group for unknown destinations. */
  group?: IPv4;
  /** `dev`: the underlay device the outer packet leaves by. */
  dev?: string;
  /** `dstport`: the UDP port of outer packets, and the one this device listens on. The kernel's default is 8472 (iproute2 asks for it to be given). */
  dstport?: number;
  /** False with `nolearning`: entries come only from the agent (flannel, Calico), never from received packets. */
  learning: boolean;
  span: Span;
}

/** An IPv4-in-IPv4 tunnel (`ipip any remote any local any ttl inherit nopmtudisc`; Calico's `tunl0`). */
export interface IpipLink {
  kind: 'ipip';
  /** `remote`: the fixed peer; undefined for `any` (the route's next hop is the peer, as Calico's `tunl0` is used). */
  remote?: IPv4;
  /** `local`: the outer source; undefined for `any`. */
  local?: IPv4;
  /** `dev`: the underlay device, when bound. */
  dev?: string;
  /** `pmtudisc` (the default) copies DF to the outer header; `nopmtudisc` clears it. */
  pmtudisc: boolean;
  span: Span;
}

/** One end of a veth pair (`veth`); the peer is named on the header line (`vethX@if5`). */
export interface VethLink {
  kind: 'veth';
  span: Span;
}

/** A bridge (`bridge forward_delay … nf_call_iptables 0 …`). */
export interface BridgeLink {
  kind: 'bridge';
  /** `nf_call_iptables`: bridged IPv4 frames traverse iptables (br_netfilter's sysctl, per bridge). */
  nfCallIptables?: boolean;
  vlanFiltering?: boolean;
  span: Span;
}

/** Any other kind (`dummy`, `geneve`, `wireguard`, `vlan protocol 802.1Q id 10`, `ipvlan`, …): named, not modelled. */
export interface OtherLink {
  kind: 'other';
  /** The kind word as printed. */
  name: string;
  span: Span;
}

/** The kind-specific details of a device. */
export type LinkDetails = VxlanLink | IpipLink | VethLink | BridgeLink | OtherLink;

/** A bridge port's own settings (`bridge_slave state forwarding … hairpin on …`). */
export interface BridgePortLink {
  /** STP state (`forwarding`, `disabled`, `blocking`, …). */
  state?: string;
  /** `hairpin on`: a frame may leave by the port it came in on. */
  hairpin: boolean;
  /** `proxy_arp on`: the bridge answers ARP for this port. */
  proxyArp?: boolean;
  learning?: boolean;
  span: Span;
}

/** ip-neighbour(8) NUD states, as `ip neigh show` prints them. */
export type NeighbourState =
  | 'PERMANENT' | 'NOARP' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'INCOMPLETE' | 'FAILED' | 'NONE';

/** One `ip neigh show` line: `10.244.1.0 dev flannel.1 lladdr 56:8a:7d:2b:ee:01 PERMANENT`. */
export interface Neighbour {
  /** The IPv4 address; undefined for an IPv6 line (kept for counting, not resolved). */
  ip?: IPv4;
  /** The address as printed. */
  address: string;
  dev?: string;
  /** The link-layer address, lower case; absent for INCOMPLETE/FAILED entries and proxy entries. */
  lladdr?: string;
  /** `router`: the neighbour said it routes (IPv6 NDP; printed for any family). */
  router: boolean;
  /** `proxy`: this host answers ARP for the address (`ip neigh show proxy`; Calico's host side of each pod). */
  proxy: boolean;
  /** NUD states printed (`REACHABLE`, `PERMANENT`, `STALE`, …); a line may carry several (`PROBE FAILED` never, `NOARP` with `PERMANENT` yes). */
  states: NeighbourState[];
  /** The raw line. */
  raw: string;
  span: Span;
}

/** One `bridge fdb show` line: `56:8a:7d:2b:ee:01 dev flannel.1 dst 10.240.0.5 self permanent`. */
export interface FdbEntry {
  /** Link-layer address, lower case; `00:00:00:00:00:00` is the default entry of a VXLAN device (flood / unknown destinations). */
  lladdr: string;
  dev?: string;
  /** `dst`: the VTEP's underlay address (VXLAN devices). */
  dst?: IPv4;
  /** `dst` as printed (an IPv6 VTEP stays text). */
  dstText?: string;
  /** `master br0` */
  master?: string;
  /** `vlan 10` */
  vlan?: number;
  /** `port 4789`: a destination port for this entry only (default: the device's dstport). */
  port?: number;
  /** `vni 2`: a VNI for this entry only (default: the device's id). */
  vni?: number;
  /** `via eth1`: the underlay device for this entry. */
  via?: string;
  /** `self`: an entry of the device's own table (VXLAN's), rather than of its master bridge. */
  self: boolean;
  /** `permanent` / `static`: written by an agent or an admin, never aged out. */
  permanent: boolean;
  /** `router`, `extern_learn`, `offload`, `sticky`, … as printed. */
  flags: string[];
  raw: string;
  span: Span;
}

/** A neighbour table as read from `ip neigh show` (several commands may be pasted: `ip neigh`, `ip neigh show proxy`). */
export interface NeighbourDump {
  neighbours: Neighbour[];
}

/** A forwarding database as read from `bridge fdb show`. */
export interface FdbDump {
  entries: FdbEntry[];
}
