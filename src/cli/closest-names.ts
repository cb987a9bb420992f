/**
 * "Did you mean": the valid names closest to a mistyped one, by edit distance,
 * for a command-line argument that names nothing in the topology.
 */
import type { Cluster } from '../core/model/cluster';

/** Levenshtein distance between two strings (case-insensitive). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

/** Every name `--from` accepts: pods (`name` when unique, else `namespace/name`), then routers, hosts and nodes. */
export function sourceNames(cl: Cluster): string[] {
  const names: string[] = [];
  const shortCount = new Map<string, number>();
  const podIds = [...cl.hosts.values()].filter((h) => h.kind === 'pod').map((h) => h.id);
  podIds.push(...(cl.hostNetworkPods?.keys() ?? []));
  for (const id of podIds) {
    const short = id.split('/').pop() ?? id;
    shortCount.set(short, (shortCount.get(short) ?? 0) + 1);
  }
  for (const id of podIds) {
    const short = id.split('/').pop() ?? id;
    names.push(shortCount.get(short) === 1 ? short : id);
  }
  for (const h of cl.hosts.values()) if (h.kind !== 'pod') names.push(h.id);
  return names;
}

/**
 * Up to `max` of `names` closest to `wanted`: a name containing it (or contained
 * in it) first, then by edit distance, keeping only plausible ones (at most half
 * the longer name's length apart). Empty when none is close.
 */
export function closestNames(wanted: string, names: string[], max = 3): string[] {
  const w = wanted.toLowerCase();
  return names
    .map((n) => {
      const l = n.toLowerCase();
      return { n, d: l.includes(w) || w.includes(l) ? 0.5 : distance(wanted, n), len: Math.max(w.length, l.length) };
    })
    .filter((s) => s.d <= Math.max(2, Math.ceil(s.len / 2)))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((s) => s.n);
}
