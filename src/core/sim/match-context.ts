/**
 * What a netfilter rule can look at when a packet passes a hook: the packet,
 * the interfaces (and bridge ports, for a bridged frame), the conntrack view of
 * the connection on this host, and the host itself (for addrtype, ipsets).
 */
import type { Host } from '../model/cluster';
import type { Packet, Tuple } from './walk-state';

/** Netfilter hooks (the built-in chains). */
export type HookName = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** conntrack's view of the packet (`-m conntrack`, `-m state`). */
export interface CtView {
  state: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'UNTRACKED' | 'INVALID';
  /** Direction of this packet within its connection. */
  dir: 'ORIGINAL' | 'REPLY';
  /** The connection's original direction was DNATed / SNATed. */
  dnat: boolean;
  snat: boolean;
  /** ctmark (CONNMARK). */
  mark: number;
  orig?: Tuple;
  reply?: Tuple;
}

/** Everything a rule sees. */
export interface MatchContext {
  host: Host;
  hook: HookName;
  table: string;
  pkt: Packet;
  /** `-i`: undefined in OUTPUT/POSTROUTING of locally generated packets. */
  inIface?: string;
  /** `-o`: undefined in PREROUTING/INPUT. */
  outIface?: string;
  /** Bridge ports of a bridged frame (br_netfilter), for `-m physdev`. */
  physIn?: string;
  physOut?: string;
  bridged: boolean;
  ct: CtView;
}
