/** DNS as a pod's stub resolver does it, with each query's packet traced. (Stub: being written.) */
import type { Cluster } from '../model/types';
import type { DnsResult } from '../sim/types';

/** Resolves `name` from host `srcHost` (a pod id) the way its resolver would, tracing every query. */
export function resolveName(_cluster: Cluster, _srcHost: string, _name: string): DnsResult {
  return { nameserver: '', queries: [], resolved: [], error: 'not implemented' };
}
