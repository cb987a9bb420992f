/** A TraceQuery (names, `ip:port`, DNS names) → TraceResult. (Stub: being written.) */
import type { Cluster } from '../model/types';
import type { TraceQuery, TraceResult } from './types';

/** Answers a trace query against a cluster. Never throws: a bad query gives `error`. */
export function trace(_cluster: Cluster, q: TraceQuery): TraceResult {
  return { version: 1, query: { from: q.from, to: q.to, protocol: q.protocol, port: q.port }, source: { ip: '' }, dns: null, outcomes: [], error: 'not implemented' };
}
