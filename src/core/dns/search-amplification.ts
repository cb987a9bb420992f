/**
 * Names whose lookup costs a pod more than two queries: with ClusterFirst's
 * `ndots:5`, an outside name such as `api.example.com` first walks every search
 * domain (each an NXDOMAIN from the cluster DNS) before it is asked as is.
 * The lint rule `dns-search-amplification` reports these as info.
 */
import type { Cluster } from '../model/cluster';
import type { Outcome } from '../sim/types';
import { resolveName } from './resolve';

/** A name that takes more than two queries to resolve, from which pod, and how many. */
export interface SearchAmplification {
  name: string;
  /** Pod id the lookup was made from. */
  from: string;
  queries: number;
  /** The query names in order (each with its type), for the diagnostic's message. */
  asked: string[];
}

/** A name to check, from one pod (`{from, name}`) or, as a bare string, from every pod of the cluster. */
export type NameToCheck = string | { from: string; name: string };

/** Lists lookups that take more than two queries; the records decide, the packets are not traced (answers only). */
export function dnsSearchAmplification(cluster: Cluster, names: NameToCheck[]): SearchAmplification[] {
  const out: SearchAmplification[] = [];
  const pods = [...cluster.hosts.values()].filter((h) => h.kind === 'pod').map((h) => h.id);
  const untraced = (): Outcome[] => [];
  for (const entry of names) {
    const pairs = typeof entry === 'string' ? pods.map((from) => ({ from, name: entry })) : [entry];
    for (const { from, name } of pairs) {
      const r = resolveName(cluster, from, name, { tracer: untraced });
      if (r.queries.length > 2) out.push({ name, from, queries: r.queries.length, asked: r.queries.map((q) => `${q.name} ${q.type}`) });
    }
  }
  return out;
}
