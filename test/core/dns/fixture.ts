/**
 * A small cluster in the seed's shape (Azure kubenet: kube-dns 10.0.0.10 with two
 * pods, ubuntu in default) plus what the DNS cases need: a headless Service, an
 * ExternalName Service, a Service without endpoints, pods in other namespaces.
 * Built by hand so the DNS tests do not depend on the topology loader.
 */
import { parseIPv4, parsePrefix, type IPv4 } from '../../../src/core/net/ipv4';
import { parseResolvConf } from '../../../src/core/parse/dns/parse-resolv-conf';
import type { Cluster, Host, ServiceInfo } from '../../../src/core/model/cluster';

/** The seed's pod resolv.conf (kubenet on Azure, with the VNet's internal domain). */
export const SEED_RESOLV_CONF = `nameserver 10.0.0.10
search default.svc.cluster.local svc.cluster.local cluster.local tbshyrd11cuundvieskktqf3ib.lx.internal.cloudapp.net
options ndots:5
`;

function ip(s: string): IPv4 {
  const v = parseIPv4(s);
  if (v === undefined) throw new Error(`bad test address ${s}`);
  return v;
}

/** A pod host with one eth0 address. */
export function pod(ns: string, name: string, addr: string, extra: Partial<Host> = {}): Host {
  return {
    id: `${ns}/${name}`, kind: 'pod', name, namespace: ns, node: 'k8s-agent-0',
    interfaces: [{ name: 'lo', addresses: [{ ip: ip('127.0.0.1'), prefixLen: 8 }], up: true, isLoopback: true },
      { name: 'eth0', addresses: [{ ip: ip(addr), prefixLen: 24 }], up: true }],
    routing: { tables: new Map(), policy: [] }, flags: { ipForward: false, brNetfilter: false }, ...extra,
  };
}

function svc(ns: string, name: string, clusterIP: string | undefined, endpoints: [string, string | undefined][], extra: Partial<ServiceInfo> = {}): ServiceInfo {
  return {
    id: `${ns}/${name}`, name, namespace: ns, clusterIP: clusterIP ? ip(clusterIP) : undefined,
    ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }],
    endpoints: endpoints.map(([a, p]) => ({ ip: ip(a), pod: p })), type: 'ClusterIP', headless: clusterIP === undefined, ...extra,
  };
}

/** The test cluster; `resolvConf` text for ubuntu (default: none, so ClusterFirst is derived). */
export function seedCluster(opts: { ubuntuResolv?: string; ubuntu?: Partial<Host>; dns?: Cluster['dns']; noKubeDns?: boolean } = {}): Cluster {
  const ubuntuConf = opts.ubuntuResolv !== undefined ? parseResolvConf(opts.ubuntuResolv).value : undefined;
  const hosts: Host[] = [
    pod('default', 'ubuntu', '10.244.0.6', { resolvConf: ubuntuConf, ...opts.ubuntu }),
    pod('kube-system', 'kube-dns-v20-3003781527-lc299', '10.244.0.2', { labels: { 'k8s-app': 'kube-dns' } }),
    pod('kube-system', 'kube-dns-v20-3003781527-2kvbh', '10.244.1.2', { labels: { 'k8s-app': 'kube-dns' }, node: 'k8s-agent-1' }),
    pod('web', 'nginx-0', '10.244.1.7', { labels: { app: 'nginx' } }),
    pod('web', 'nginx-1', '10.244.0.8', { labels: { app: 'nginx' } }),
  ];
  const services: ServiceInfo[] = [
    svc('default', 'kubernetes', '10.0.0.1', [], { ports: [{ name: 'https', port: 443, targetPort: 443, protocol: 'TCP' }] }),
    svc('web', 'nginx', undefined, [['10.244.1.7', 'web/nginx-0'], ['10.244.0.8', 'web/nginx-1']], { ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }] }),
    svc('web', 'frontend', '10.0.88.8', [['10.244.1.7', 'web/nginx-0']], { ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }] }),
    svc('web', 'empty', '10.0.77.7', [], { ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }] }),
    svc('web', 'db', undefined, [], { type: 'ExternalName', headless: false, externalName: 'db.example.com', ports: [] }),
  ];
  if (!opts.noKubeDns) services.unshift(svc('kube-system', 'kube-dns', '10.0.0.10', [['10.244.0.2', 'kube-system/kube-dns-v20-3003781527-lc299'], ['10.244.1.2', 'kube-system/kube-dns-v20-3003781527-2kvbh']]));
  const addressOwner = new Map<IPv4, { host: string; iface: string }>();
  for (const h of hosts) for (const i of h.interfaces) if (!i.isLoopback) for (const a of i.addresses) addressOwner.set(a.ip, { host: h.id, iface: i.name });
  return {
    hosts: new Map(hosts.map((h) => [h.id, h])), segments: new Map(), addressOwner, services,
    clusterCIDR: parsePrefix('10.244.0.0/16'), serviceCIDR: parsePrefix('10.0.0.0/16'), dnsDomain: 'cluster.local', dns: opts.dns, issues: [],
  };
}
