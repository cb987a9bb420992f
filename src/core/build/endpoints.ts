/**
 * Services as the cluster sees them: each with its endpoints, the ready pods in
 * the Service's namespace whose labels match its selector (a hostNetwork pod's
 * endpoint is its node's address), or the explicit `endpoints:` of a Service
 * without a selector. Endpoint order is the topology's pod order, which is the
 * order kube-proxy's cascade of KUBE-SEP chains follows in the generated rules.
 */
import type { IPv4 } from '../net/ipv4';
import type { Origin } from '../source';
import type { Topology, TopologyService } from '../model/topology';
import type { ServiceInfo } from '../model/cluster';

/** Whether a pod's labels satisfy an (equality-based) selector. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The endpoints of one Service. */
export function endpointsOf(t: Topology, s: TopologyService): { ip: IPv4; pod?: string }[] {
  const nodeIp = new Map(t.nodes.map((n) => [n.name, n.ip]));
  const podIp = (p: Topology['pods'][number]): IPv4 | undefined => (p.hostNetwork ? nodeIp.get(p.node) : p.ip);
  if (s.selector && Object.keys(s.selector).length > 0) {
    const out: { ip: IPv4; pod?: string }[] = [];
    for (const p of t.pods) {
      const ip = podIp(p);
      if (p.namespace === s.namespace && p.ready && ip !== undefined && selects(s.selector, p.labels)) out.push({ ip, pod: `${p.namespace}/${p.name}` });
    }
    return out;
  }
  return (s.endpoints ?? []).map((ip) => {
    const p = t.pods.find((q) => podIp(q) === ip);
    return p ? { ip, pod: `${p.namespace}/${p.name}` } : { ip };
  });
}

/** Every Service of the topology as ServiceInfo, with its endpoints and where it is declared. */
export function buildServices(t: Topology): ServiceInfo[] {
  return t.services.map((s) => {
    const origin: Origin = { file: t.file, line: s.nameSpan.line, column: s.nameSpan.column, endLine: s.nameSpan.endLine, endColumn: s.nameSpan.endColumn, text: `service ${s.namespace}/${s.name}` };
    return {
      id: `${s.namespace}/${s.name}`,
      name: s.name,
      namespace: s.namespace,
      clusterIP: s.clusterIP,
      ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol, nodePort: p.nodePort })),
      endpoints: s.type === 'ExternalName' ? [] : endpointsOf(t, s),
      type: s.type,
      headless: s.headless,
      externalName: s.externalName,
      sessionAffinity: s.sessionAffinity,
      externalIPs: [...(s.externalIPs ?? []), ...(s.loadBalancerIPs ?? [])],
      origin,
    };
  });
}
