/**
 * The items "Trace Packet" offers: sources (pods, nodes, routers, hosts) and
 * destinations (Service ports, pods, nodes), each with the text the trace query
 * takes, plus the most recent choices first.
 */
import { formatIPv4 } from '../../core/net/ipv4';
import type { Topology } from '../../core/model/topology';

/** One pickable item: what the list shows and what goes into the query. */
export interface PickItem {
  label: string;
  description?: string;
  detail?: string;
  /** The query text (`default/ubuntu`, `10.0.0.10:53`). */
  value: string;
  /** For Service ports: the protocol the port speaks. */
  protocol?: 'tcp' | 'udp';
  port?: number;
  /** Group heading in the list. */
  group: 'recent' | 'pod' | 'node' | 'router' | 'host' | 'service' | 'dns';
}

/** Where a packet can start from. */
export function sourceItems(t: Topology): PickItem[] {
  const out: PickItem[] = [];
  for (const p of t.pods) {
    out.push({ label: `${p.namespace}/${p.name}`, description: p.ip !== undefined ? formatIPv4(p.ip) : 'hostNetwork', detail: `pod on ${p.node}`, value: `${p.namespace}/${p.name}`, group: 'pod' });
  }
  for (const n of t.nodes) out.push({ label: n.name, description: formatIPv4(n.ip), detail: 'node', value: n.name, group: 'node' });
  for (const r of t.routers) out.push({ label: r.name, description: r.ip !== undefined ? formatIPv4(r.ip) : undefined, detail: 'router', value: r.name, group: 'router' });
  for (const h of t.hosts) out.push({ label: h.name, description: h.ip !== undefined ? formatIPv4(h.ip) : undefined, detail: 'host', value: h.name, group: 'host' });
  return out;
}

/** Where a packet can go: every Service port (by ClusterIP:port, then by DNS name), pods and nodes. */
export function destinationItems(t: Topology): PickItem[] {
  const out: PickItem[] = [];
  for (const s of t.services) {
    for (const p of s.ports) {
      if (p.protocol === 'SCTP') continue;
      const protocol = p.protocol === 'UDP' ? 'udp' : 'tcp';
      const name = `${s.name}.${s.namespace}`;
      const ip = s.clusterIP !== undefined ? formatIPv4(s.clusterIP) : undefined;
      out.push({
        label: `${s.namespace}/${s.name} ${p.port}/${p.protocol}`,
        description: ip ? `${ip}:${p.port}` : `${name}:${p.port}`,
        detail: `Service${p.name ? ` port ${p.name}` : ''}${s.headless ? ' (headless)' : ''}`,
        value: ip ? `${ip}:${p.port}` : `${name}:${p.port}`,
        protocol, port: p.port, group: 'service',
      });
    }
  }
  // The same ports by DNS name: the trace then resolves it as the source pod's resolver would.
  for (const s of t.services) {
    for (const p of s.ports) {
      if (p.protocol === 'SCTP') continue;
      const name = `${s.name}.${s.namespace}`;
      out.push({ label: `${name}:${p.port}`, description: p.protocol, detail: 'DNS name of the Service (resolved first)', value: `${name}:${p.port}`, protocol: p.protocol === 'UDP' ? 'udp' : 'tcp', port: p.port, group: 'dns' });
    }
  }
  for (const p of t.pods) {
    if (p.ip === undefined) continue;
    out.push({ label: `${p.namespace}/${p.name}`, description: formatIPv4(p.ip), detail: `pod on ${p.node}`, value: formatIPv4(p.ip), group: 'pod' });
  }
  for (const n of t.nodes) out.push({ label: n.name, description: formatIPv4(n.ip), detail: 'node', value: formatIPv4(n.ip), group: 'node' });
  return out;
}

/** Puts recent values first (marked `recent`), most recent first, without duplicates. */
export function withRecent(items: PickItem[], recent: readonly string[]): PickItem[] {
  const front: PickItem[] = [];
  for (const v of recent) {
    const hit = items.find((i) => i.value === v);
    front.push(hit ? { ...hit, group: 'recent' } : { label: v, value: v, group: 'recent' });
  }
  const seen = new Set(recent);
  return [...front, ...items.filter((i) => !seen.has(i.value))];
}

/** Adds `value` to a recent list (most recent first, at most `max`). */
export function remember(recent: readonly string[], value: string, max = 5): string[] {
  return [value, ...recent.filter((v) => v !== value)].slice(0, max);
}

/** Splits a typed destination into address/name and port: `10.0.0.10:53` → {to, port: 53}. */
export function splitHostPort(s: string): { to: string; port?: number } {
  const m = /^(.*):(\d{1,5})$/.exec(s.trim());
  if (m && Number(m[2]) <= 65535) return { to: m[1], port: Number(m[2]) };
  return { to: s.trim() };
}
