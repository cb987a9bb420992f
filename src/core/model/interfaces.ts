/**
 * Interfaces and their addresses, read from `ip addr` / `ip -o addr` /
 * `ip -br addr` or `ifconfig` (net-tools' old `inet addr:` style and the newer
 * `inet 10.0.0.1  netmask …` style).
 */
import type { IPv4 } from '../net/ipv4';
import type { Span } from '../source';
import type { BridgePortLink, LinkDetails } from './links';

/** One IPv4 address on an interface, with its prefix length. */
export interface InterfaceAddress {
  ip: IPv4;
  prefixLen: number;
  broadcast?: IPv4;
  /** `peer` address of a point-to-point link (`inet 10.0.0.1 peer 10.0.0.2/32`). */
  peer?: IPv4;
  scope?: string;
  /** `secondary` flag: not used as a source address by default. */
  secondary?: boolean;
  /** The interface label (`eth0:1`) when different from the interface name. */
  label?: string;
  span: Span;
}

/** An IPv6 address, kept as text: the simulator is IPv4-only and says so. */
export interface InterfaceAddress6 {
  ip: string;
  prefixLen: number;
  scope?: string;
  span: Span;
}

/** One network interface. */
export interface Interface {
  name: string;
  /** `ip link` index, when shown. */
  index?: number;
  /** For veth: the peer's name as `ip addr` prints it (`veth0@if5` → peer index `if5`). */
  peer?: string;
  mac?: string;
  mtu?: number;
  /** Flags as printed: `UP`, `BROADCAST`, `LOOPBACK`, `PROMISC`, `LOWER_UP`, … */
  flags: string[];
  /** `state UP|DOWN|UNKNOWN`. */
  state?: string;
  /** `master cbr0`: the bridge this port belongs to. */
  master?: string;
  /** Link type when shown (`link/ether`, `link/loopback`, `link/ipip`, `link/none`). */
  linkType?: string;
  /** `ip -d link`/`ip -d addr`: the device's kind and its settings (vxlan id, ipip endpoints, …). */
  link?: LinkDetails;
  /** `ip -d`: the device's settings as a bridge port (`bridge_slave … hairpin on`). */
  bridgePort?: BridgePortLink;
  addresses: InterfaceAddress[];
  addresses6: InterfaceAddress6[];
  span: Span;
}

/** The interfaces of one host (or network namespace). */
export interface InterfaceDump {
  format: 'ip-addr' | 'ip-o-addr' | 'ip-br-addr' | 'ifconfig';
  interfaces: Interface[];
}
