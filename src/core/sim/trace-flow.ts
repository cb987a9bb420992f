/** The packet walk for one concrete flow (addresses already resolved). (Stub: being written.) */
import type { IPv4 } from '../net/ipv4';
import type { Cluster } from '../model/types';
import type { Outcome } from './types';

/** A concrete packet to walk: sent by `srcHost` from `src` to `dst`. */
export interface Flow {
  /** Host id that sends the packet. */
  srcHost: string;
  src: IPv4;
  dst: IPv4;
  protocol: 'tcp' | 'udp' | 'icmp';
  srcPort?: number;
  dstPort?: number;
}

/** Walks the packet and its reply through the cluster; every distinct end with its probability. */
export function traceFlow(_cluster: Cluster, _flow: Flow): Outcome[] {
  return [];
}
