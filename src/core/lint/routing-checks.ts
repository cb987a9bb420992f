/**
 * Static checks of each host's routes, independent of any particular packet:
 * a gateway that is not on any of the host's links, and a gateway no modelled
 * host owns (traffic to it leaves the model, so nothing can be said of it).
 */
import type { Issue } from '../source';
import type { Cluster, Host } from '../model/cluster';
import { contains, formatIPv4, formatPrefix, prefix } from '../net/ipv4';
import { lintIssue } from './lint-issue';

/** Runs the per-host route checks. */
export function checkRoutes(cluster: Cluster, fallbackFile: string): Issue[] {
  const issues: Issue[] = [];
  for (const host of cluster.hosts.values()) {
    // A gateway is on link when an interface's prefix or a link route (a route with a
    // device and no gateway, as `proto kernel scope link` ones are) covers it.
    const connected = host.interfaces.flatMap((i) => i.addresses.map((a) => prefix(a.ip, a.prefixLen)));
    for (const [table, entries] of host.routing.tables) {
      if (table === 'local') continue;
      for (const { route } of entries) {
        if (route.type === 'unicast' && route.nexthops.length > 0 && route.nexthops.every((n) => n.via === undefined && n.dev)) connected.push(route.dst);
      }
    }
    for (const [table, entries] of host.routing.tables) {
      if (table === 'local') continue;
      for (const { route, origin } of entries) {
        if (!origin) continue; // derived routes are correct by construction
        for (const nh of route.nexthops) {
          if (nh.via === undefined) continue;
          const onLink = nh.onlink || connected.some((p) => contains(p, nh.via!));
          const dst = formatPrefix(route.dst);
          if (!onLink) {
            issues.push(lintIssue('next-hop-not-on-link', origin, fallbackFile,
              `${host.id}: route ${dst} via ${formatIPv4(nh.via)}: the gateway is on none of ${host.id}'s networks (${describeConnected(host)}), so the kernel cannot use this route`));
          } else if (route.dst.len > 0 && !cluster.addressOwner.has(nh.via)) {
            issues.push(lintIssue('next-hop-unknown', origin, fallbackFile,
              `${host.id}: route ${dst} via ${formatIPv4(nh.via)}: no host of the topology owns ${formatIPv4(nh.via)}, so traffic for ${dst} leaves the modelled network`));
          }
        }
      }
    }
  }
  return issues;
}

function describeConnected(host: Host): string {
  const all = host.interfaces.flatMap((i) => i.addresses.map((a) => `${i.name} ${formatPrefix(prefix(a.ip, a.prefixLen))}`));
  return all.length ? all.join(', ') : 'it has no addresses';
}
