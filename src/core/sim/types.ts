/**
 * Questions and answers of the packet walk, shaped like the JSON the CLI prints
 * (docs/cli.md): a closed vocabulary of dispositions and hop kinds,
 * each outcome with its probability and its reply.
 */
import type { Origin } from '../source';

/** What to trace. */
export interface TraceQuery {
  /** Pod (`name` or `ns/name`), node, router or host name, or an IPv4 address one of them owns. */
  from: string;
  /** `A.B.C.D`, `A.B.C.D:PORT`, or a DNS name with an optional `:PORT`. */
  to: string;
  protocol: 'tcp' | 'udp' | 'icmp';
  port?: number;
  /** IP packet size in bytes (`--size`; default 84, as `ping` sends), for the MTU checks. */
  size?: number;
}

/** How a packet's journey ended. */
export type Disposition =
  /** Reached a host that owns the (possibly DNAT-rewritten) destination address. */
  | 'delivered'
  /** A REJECT target: the sender gets an error at once. */
  | 'rejected'
  /** A DROP target or a DROP policy: the sender hears nothing. */
  | 'dropped'
  /** No route, or an unreachable/prohibit route: the sender gets an ICMP error. */
  | 'no-route'
  /** A blackhole route: silently discarded. */
  | 'blackhole'
  /** TTL ran out (a routing loop) or a jump cycle. */
  | 'loop'
  /** Left the modelled network: a next hop no modelled host owns. */
  | 'exited'
  /** Larger than the next device's MTU with DF set: the sender gets "fragmentation needed" (ICMP 3/4) with the MTU. */
  | 'too-big';

/** What kind of step a hop is. */
export type HopKind =
  /** A route lookup and its chosen route. */
  | 'route'
  /** A netfilter rule matched (or a chain policy applied). */
  | 'rule'
  /** An address rewrite: DNAT, SNAT, MASQUERADE, or conntrack undoing one on the reply. */
  | 'nat'
  /** Forwarded through a Linux bridge (and, with br_netfilter, its iptables pass). */
  | 'bridge'
  /** Sent over a link (veth, node network) to the next host. */
  | 'link'
  /** Arrived at the owner of the destination address. */
  | 'deliver'
  /** A DNS query or answer. */
  | 'dns'
  /** Connection tracking: state looked up or assumed. */
  | 'conntrack'
  /** Something the simulator had to assume (unknown ipset members, an unmodelled match). */
  | 'assume'
  /** The end of the walk (drop, reject, no route, …). */
  | 'drop'
  /** The packet wrapped in a tunnel's outer packet (VXLAN: UDP to the VTEP's port). */
  | 'encap'
  /** The outer packet opened by the receiving node's tunnel device; the inner packet goes on. */
  | 'decap';

/** One step of a walk. */
export interface Hop {
  /** Host id where the step happened (`default/ubuntu`, `k8s-agent-0`). */
  host: string;
  kind: HopKind;
  /** A sentence a person can read: "10.0.0.10 via 10.244.0.1 dev eth0 (default route)". */
  text: string;
  /** The input line that caused this step, when one did. */
  origin?: Origin;
  /** Netfilter position, for rule steps. */
  table?: string;
  chain?: string;
  /** The packet after this step, when the step changed it. */
  packet?: PacketView;
  /** For `encap`: the outer packet (VXLAN: udp and its port). */
  outer?: { src: string; dst: string; protocol: string; port?: number };
  /** A route step whose route the input does not list but the model implies (a cloud's system route). */
  implied?: 'cloud-system-route';
}

/** A packet's addresses as printed in traces. */
export interface PacketView {
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
  protocol: string;
}

/** The final endpoint of a delivered packet. */
export interface DeliveredTo {
  ip: string;
  port?: number;
  pod?: string;
  node?: string;
  host?: string;
}

/** The answer coming back: the reply to a delivered packet, or the ICMP error of a rejected/unroutable one. */
export interface ReplyTrace {
  disposition: Disposition;
  /** Host where the reply ended. */
  at: string;
  hops: Hop[];
  /** For `delivered`: the reply reached the original sender from the address it sent to (what a socket accepts). */
  matchesRequest?: boolean;
  /**
   * TCP only, set when it fails: the sender's next packet on the now ESTABLISHED
   * connection (the handshake's final ACK, then the data) walked forward again. A
   * firewall that lets replies through but not the sender's established packets
   * completes the handshake on the client while the server never accepts.
   */
  established?: { disposition: Disposition; at: string; hops: Hop[] };
}

/** What the sending application's call returns when its own host refuses the packet. */
export type LocalErrno = 'EPERM' | 'EINVAL' | 'EHOSTUNREACH' | 'EACCES' | 'ENETUNREACH';

/** One distinct end of the packet's journey. */
export interface Outcome {
  probability: number;
  disposition: Disposition;
  delivered?: DeliveredTo;
  /** Source address as the receiver saw it (after SNAT/MASQUERADE); for `exited`, the source it leaves with. */
  seenSource?: { ip: string; port?: number };
  /**
   * For `exited` to the internet: the source it leaves with is one nobody there can
   * answer: a pod address (nothing masqueraded it on the way out) or another private
   * one outside the virtual network (whose own addresses the cloud translates).
   */
  unanswerableSource?: 'pod-address' | 'private-address';
  /** Host where the packet ended. */
  at: string;
  /** For `too-big`: the MTU the sender is told (the path MTU it will cache). */
  mtu?: number;
  hops: Hop[];
  reply?: ReplyTrace;
  /** Assumptions made on this path, in words ("conntrack state NEW", "ipset KUBE-X members unknown: assumed match"). */
  assumptions?: string[];
  /**
   * The sending host itself refused the packet, so the application's send (or
   * connect) fails at once with this errno: EPERM (its own OUTPUT chain dropped
   * it), EINVAL (a blackhole route), EHOSTUNREACH (unreachable), EACCES (prohibit),
   * ENETUNREACH (no route).
   */
  localError?: LocalErrno;
  /** Whether the connection works end to end (delivered both ways). */
  connection?: 'ok' | 'broken' | 'refused' | 'timeout';
  /** One line, e.g. "delivered to kube-system/kube-dns-… on k8s-agent-1". */
  summary?: string;
}

/** DNS resolution done before the connection (DST was a name). */
export interface DnsResult {
  nameserver: string;
  queries: DnsQueryResult[];
  resolved: string[];
  /** Why nothing resolved, when nothing did. */
  error?: string;
  /**
   * The same as a verdict: `nxdomain`, `nodata`, `timeout`, `refused`, `no-address`
   * (a CNAME only), or `upstream-unknown` (the name goes to an upstream resolver
   * the topology does not model: give its answer under `dns.upstream`, or an address).
   */
  unresolved?: 'nxdomain' | 'nodata' | 'timeout' | 'refused' | 'upstream-unknown' | 'no-address';
  /** What the resolution assumed (resolver flavour, derived resolv.conf, untraced query paths, unknown upstream answers). */
  assumptions?: string[];
}

/** One query the stub resolver sent. */
export interface DnsQueryResult {
  /** Fully qualified, with the trailing dot. */
  name: string;
  type: 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'PTR';
  answer: string[] | 'NXDOMAIN' | 'NODATA' | 'unknown' | 'timeout' | 'refused';
  /** The query packet's own trace (to the nameserver and back). */
  trace: { outcomes: Outcome[] };
  /** Which server pods answered, with probabilities. */
  answeredBy?: { pod?: string; ip: string; probability: number }[];
  /** The nameserver address this query was sent to. */
  server?: string;
  /** UDP, or TCP with `options use-vc`. */
  transport?: 'udp' | 'tcp';
  /** What happened to this query beyond its answer (retries, partial loss, assumptions), in words. */
  notes?: string[];
}

/** The full answer to a TraceQuery (one JSON line of `--json`/`--batch`). */
export interface TraceResult {
  version: 1;
  query: { from: string; to: string; protocol: string; port?: number; size?: number };
  source: { ip: string; pod?: string; node?: string; host?: string };
  dns: DnsResult | null;
  outcomes: Outcome[];
  /** Set instead of results when the query could not be run (bad source, malformed port). */
  error?: string;
  /** Assumptions that apply to the whole trace. */
  assumptions?: string[];
}
