/**
 * Routes and policy rules as the kernel holds them (ip-route(8), ip-rule(8)),
 * whatever they were read from: `route -n`, `route -e`, `netstat -rn`,
 * `ip route` / `ip -o route` / `ip route show table all`, `ip rule`, or a cloud
 * route table (Azure's `NAME | ADDRESS PREFIX | NEXT HOP`, `az network
 * route-table route list -o table`).
 */
import type { Prefix, IPv4 } from '../net/ipv4';
import type { Span } from '../source';

/** ip-route(8) route types. `unicast` is the default when none is written. */
export type RouteType =
  | 'unicast' | 'local' | 'broadcast' | 'multicast' | 'anycast'
  | 'blackhole' | 'unreachable' | 'prohibit' | 'throw' | 'nat';

/** One next hop of a (possibly multipath) route. */
export interface NextHop {
  /** Gateway address; absent for a directly connected route. */
  via?: IPv4;
  /** Output device; absent when the format does not say (cloud tables, `ip route` with only `via`). */
  dev?: string;
  /** `onlink`: the gateway is on the link even if no connected route says so. */
  onlink?: boolean;
  /** Multipath weight (`nexthop … weight N`), default 1. */
  weight?: number;
}

/**
 * What a cloud route table says the next hop is, when it is not an address
 * (Azure: `VirtualAppliance` carries an address; `Internet`, `None`, `VnetLocal`,
 * `VirtualNetworkGateway` do not).
 */
export type CloudNextHopType = 'VirtualAppliance' | 'Internet' | 'None' | 'VnetLocal' | 'VirtualNetworkGateway';

/** One route. */
export interface Route {
  /** Route table: `main` (254), `local` (255), `default` (253) or a number/name. */
  table: string;
  type: RouteType;
  /** Destination prefix; `default` is 0.0.0.0/0. */
  dst: Prefix;
  /** Next hops; one for ordinary routes, several for `nexthop` multipath, empty for blackhole/unreachable/prohibit/throw. */
  nexthops: NextHop[];
  /** Preferred source address (`src`). */
  src?: IPv4;
  /** Metric (`metric N` / the Metric column); 0 when absent, as the kernel does. */
  metric: number;
  /** `proto` (kernel, boot, static, dhcp, bird, …). */
  proto?: string;
  /** `scope` (global, link, host). */
  scope?: string;
  /** Route name in a cloud table (Azure's NAME column). */
  name?: string;
  /** Cloud next-hop type when the route came from a cloud route table. */
  cloudNextHopType?: CloudNextHopType;
  /** `route -n` flags column (`UG`, `UH`, `!H` …), kept for display. */
  flags?: string;
  raw: string;
  span: Span;
}

/** One `ip rule` entry: which table to consult for which packets. */
export interface PolicyRule {
  priority: number;
  /** `not` before the selector. */
  not: boolean;
  from?: Prefix;
  to?: Prefix;
  iif?: string;
  oif?: string;
  /** `fwmark VALUE[/MASK]`. */
  fwmark?: { value: number; mask: number };
  tos?: number;
  /** What the rule does: look up a table, or a terminal action. */
  action: { kind: 'lookup'; table: string } | { kind: 'blackhole' | 'unreachable' | 'prohibit' | 'goto' | 'nop'; target?: number };
  raw: string;
  span: Span;
}

/** A route dump: routes (across tables, when `table all` was shown) and the format detected. */
export interface RouteDump {
  format: 'route-n' | 'ip-route' | 'azure-route-table' | 'netstat-rn';
  routes: Route[];
}

/** The default `ip rule` list of a Linux host (local, main, default). */
export const DEFAULT_POLICY: readonly { priority: number; table: string }[] = [
  { priority: 0, table: 'local' },
  { priority: 32766, table: 'main' },
  { priority: 32767, table: 'default' },
];
