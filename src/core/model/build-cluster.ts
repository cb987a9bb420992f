/** Topology → Cluster: the hosts, links and rules the simulator walks. (Stub: being written.) */
import type { Topology } from '../parse/topology-model';
import type { Cluster } from './types';

/** Builds the modelled network from a parsed topology. Never throws; problems go to `cluster.issues`. */
export function buildCluster(t: Topology): Cluster {
  return { hosts: new Map(), segments: new Map(), addressOwner: new Map(), services: [], dnsDomain: t.dnsDomain, issues: [] };
}
