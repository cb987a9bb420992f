/**
 * The resolv.conf a pod gets when the topology pastes none, by its dnsPolicy:
 * ClusterFirst (default; also ClusterFirstWithHostNet) → the kube-dns Service's
 * ClusterIP, search `<ns>.svc.<domain> svc.<domain> <domain>`, ndots:5, as the
 * kubelet writes it; None → only `dnsConfig`; Default → undefined (the node's
 * resolv.conf, which the topology does not carry). `dnsConfig` is appended, as
 * the kubelet merges it.
 */
import { DEFAULT_RESOLV_OPTIONS, type ResolvConf } from '../parse/resolv-model';
import type { Topology, TopologyPod } from '../parse/topology-model';
import type { ServiceInfo } from './types';
import { formatIPv4 } from '../net/ipv4';

/** The cluster DNS Service: kube-system/kube-dns (CoreDNS keeps that name), else kube-system/coredns. */
export function clusterDnsService(services: ServiceInfo[]): ServiceInfo | undefined {
  return services.find((s) => s.id === 'kube-system/kube-dns') ?? services.find((s) => s.id === 'kube-system/coredns');
}

/** The derived resolver configuration of a pod, or undefined when it cannot be known. */
export function defaultResolvConf(t: Topology, p: TopologyPod, services: ServiceInfo[]): ResolvConf | undefined {
  const policy = p.dnsPolicy ?? (p.hostNetwork ? 'Default' : 'ClusterFirst');
  if (policy === 'Default') return undefined;
  const span = p.nameSpan;
  const conf: ResolvConf = { nameservers: [], search: [], options: { ...DEFAULT_RESOLV_OPTIONS, other: [] }, optionSpans: {} };
  if (policy !== 'None') {
    const dns = clusterDnsService(services);
    if (dns?.clusterIP !== undefined) conf.nameservers.push({ address: formatIPv4(dns.clusterIP), span });
    const d = t.dnsDomain;
    conf.search = [`${p.namespace}.svc.${d}`, `svc.${d}`, d];
    conf.options.ndots = 5;
  }
  for (const ns of p.dnsConfig?.nameservers ?? []) conf.nameservers.push({ address: ns, span });
  conf.search.push(...(p.dnsConfig?.searches ?? []));
  for (const o of p.dnsConfig?.options ?? []) {
    const n = Number(o.value);
    if (o.name === 'ndots' && Number.isInteger(n)) conf.options.ndots = Math.min(n, 15);
    else if (o.name === 'timeout' && Number.isInteger(n)) conf.options.timeout = Math.min(n, 30);
    else if (o.name === 'attempts' && Number.isInteger(n)) conf.options.attempts = Math.min(n, 5);
    else conf.options.other.push(o.value === undefined ? o.name : `${o.name}:${o.value}`);
  }
  conf.searchSpan = span;
  return conf;
}
