/**
 * The cluster DNS server's answers: what CoreDNS with the kubernetes plugin
 * (Kubernetes DNS-Based Service Discovery specification) and `forward` says for
 * a name and type, computed from the Services and pods of the cluster and the
 * topology's upstream records.
 *
 * Assumptions, where the plugin's documentation is silent:
 * - A namespace exists when a pod or a Service of the topology lives in it.
 *   As CoreDNS does, a name in a namespace that does not exist (or is not in
 *   the plugin's `namespaces` list) is NXDOMAIN, pod names included, even with
 *   `pods insecure`; `<ns>.svc.<zone>` of an existing namespace is NODATA.
 * - `svc.<zone>`, `pod.<zone>` and the zone apex: NODATA (the zone exists, it
 *   has no address records there).
 * - A headless Service without ready endpoints: NXDOMAIN.
 * - Only IPv4 is modelled: every AAAA inside the cluster zone that names
 *   something is NODATA.
 */
import { formatIPv4, parseIPv4 } from '../net/ipv4';
import type { Origin } from '../source';
import type { Cluster, ServiceInfo } from '../model/cluster';
import { blockFor, inZone, rewriteName, type DnsServerConfig, type KubernetesPlugin } from './server-config';

/** The record types the stub resolver and the records know. */
export type RecordType = 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'PTR';

/** A DNS server's answer to one question. */
export interface DnsAnswer {
  /**
   * `records`: NOERROR with data; `NODATA`: NOERROR, none of this type;
   * `NXDOMAIN`: no such name; `unknown`: forwarded outside what the topology knows.
   */
  rcode: 'records' | 'NODATA' | 'NXDOMAIN' | 'unknown';
  /** A/AAAA addresses, SRV `priority weight port target.`, CNAME targets (with the trailing dot), in answer order. */
  records: string[];
  /** Addresses among `records` (what a connection goes to). */
  addresses: string[];
  /** Which plugin decided, in words ("kubernetes: Service kube-system/kube-dns", "forward . /etc/resolv.conf"). */
  decidedBy: string;
  origin?: Origin;
}

/** Answers `name` (any case, with or without the trailing dot) of `type` as the cluster's CoreDNS would. */
export function answerQuery(cluster: Cluster, cfg: DnsServerConfig, name: string, type: RecordType, port = 53): DnsAnswer {
  const qname = fqdn(name);
  const hit = blockFor(cfg, qname, port);
  if (!hit) return { rcode: 'unknown', records: [], addresses: [], decidedBy: `no server block serves ${qname} on port ${port} (CoreDNS answers REFUSED)` };
  const { block } = hit;
  const rw = rewriteName(block, qname);
  const target = rw.name;
  const k = block.kubernetes;
  if (k) {
    const zone = k.zones.filter((z) => inZone(target, z)).sort((a, b) => b.length - a.length)[0];
    if (zone !== undefined && !zone.endsWith('arpa.')) {
      const ans = kubernetesAnswer(cluster, k, target, zone, type);
      const fallsThrough = ans.rcode === 'NXDOMAIN' && k.fallthrough.some((z) => inZone(target, z));
      if (!fallsThrough) return withRewrite({ ...ans, origin: ans.origin ?? k.origin }, rw.rule !== undefined, qname, target);
    }
  }
  if (block.forward && inZone(target, block.forward.from)) {
    const ans = upstreamAnswer(cluster, target, type);
    return withRewrite({ ...ans, decidedBy: `forward ${block.forward.from} ${block.forward.to.join(' ')}: ${ans.decidedBy}`, origin: block.forward.origin }, rw.rule !== undefined, qname, target);
  }
  return { rcode: 'unknown', records: [], addresses: [], decidedBy: `no plugin of the server block for ${hit.zone} answers ${target} (CoreDNS answers SERVFAIL)`, origin: block.origin };
}

/** Notes a rewrite in `decidedBy`; the client still sees its own name in the answer. */
function withRewrite(a: DnsAnswer, rewritten: boolean, from: string, to: string): DnsAnswer {
  return rewritten ? { ...a, decidedBy: `rewrite ${from} → ${to}; ${a.decidedBy}` } : a;
}

/** Lower case with exactly one trailing dot. */
export function fqdn(name: string): string {
  const s = name.toLowerCase().replace(/\.+$/, '');
  return s === '' ? '.' : `${s}.`;
}

function nodata(decidedBy: string): DnsAnswer {
  return { rcode: 'NODATA', records: [], addresses: [], decidedBy };
}
function nx(decidedBy: string): DnsAnswer {
  return { rcode: 'NXDOMAIN', records: [], addresses: [], decidedBy };
}

/** The kubernetes plugin's answer for a name inside one of its zones. */
function kubernetesAnswer(cluster: Cluster, k: KubernetesPlugin, name: string, zone: string, type: RecordType): DnsAnswer {
  const rest = name === zone ? '' : zone === '.' ? name.slice(0, -1) : name.slice(0, name.length - zone.length - 1);
  const labels = rest === '' ? [] : rest.split('.');
  if (labels.length === 0) return nodata(`kubernetes: zone apex ${zone}`);
  const kind = labels[labels.length - 1];
  const segs = labels.slice(0, -1);
  if (kind !== 'svc' && kind !== 'pod') return nx(`kubernetes: ${name} is neither a Service nor a pod name`);
  if (segs.length === 0) return nodata(`kubernetes: ${kind}.${zone} exists, holds no address`);
  const ns = segs[segs.length - 1];
  if (!namespaceKnown(cluster, ns)) return nx(`kubernetes: no namespace ${ns}`);
  if (k.namespaces.length > 0 && !k.namespaces.includes(ns)) return nx(`kubernetes: namespace ${ns} not exposed (namespaces ${k.namespaces.join(' ')})`);
  if (segs.length === 1) return nodata(`kubernetes: namespace ${ns} exists`);
  if (kind === 'pod') return podAnswer(cluster, k, segs, ns, type);
  const svc = cluster.services.find((s) => s.namespace.toLowerCase() === ns && s.name.toLowerCase() === segs[segs.length - 2]);
  if (!svc) return nx(`kubernetes: no Service ${ns}/${segs[segs.length - 2]}`);
  const svcName = `${svc.name}.${svc.namespace}.svc.${zone}`.toLowerCase();
  const what = `kubernetes: Service ${svc.namespace}/${svc.name}`;
  if (segs.length === 2) return serviceAnswer(cluster, svc, svcName, type, what);
  if (segs.length === 3) {
    // `<endpoint>.<svc>.<ns>.svc`: a headless Service's endpoint, named by its dashed address.
    const ep = readyEndpoints(svc).find((e) => dashed(formatIPv4(e.ip)) === segs[0]);
    if (!svc.headless || !ep) return nx(`${what}: no endpoint ${segs[0]}`);
    return addressAnswer(formatIPv4(ep.ip), type, `${what} endpoint ${segs[0]}`);
  }
  if (segs.length === 4 && segs[0].startsWith('_') && segs[1].startsWith('_')) {
    const portName = segs[0].slice(1);
    const proto = segs[1].slice(1).toUpperCase();
    const p = svc.ports.find((x) => (x.name ?? '').toLowerCase() === portName && x.protocol === proto);
    if (!p) return nx(`${what}: no port ${portName}/${proto}`);
    if (type !== 'SRV') return serviceAnswer(cluster, svc, svcName, type, what);
    return srvAnswer(svc, svcName, [p.port], `${what} port ${portName}/${proto}`);
  }
  return nx(`kubernetes: ${name} names nothing`);
}

/** A, AAAA, SRV or CNAME for `<svc>.<ns>.svc.<zone>`. */
function serviceAnswer(cluster: Cluster, svc: ServiceInfo, svcName: string, type: RecordType, what: string): DnsAnswer {
  if (svc.externalName) {
    // CoreDNS answers every type of an ExternalName Service with the CNAME and, when it can, the target's records.
    const target = fqdn(svc.externalName);
    const chased = type === 'A' || type === 'AAAA' ? upstreamAnswer(cluster, target, type) : undefined;
    const more = chased?.rcode === 'records' ? chased.records : [];
    return { rcode: 'records', records: [target, ...more], addresses: chased?.addresses ?? [], decidedBy: `${what}: ExternalName ${target}${chased ? `; ${chased.decidedBy}` : ''}` };
  }
  if (type === 'SRV') return srvAnswer(svc, svcName, svc.ports.filter((p) => p.name).map((p) => p.port), what);
  if (type !== 'A' && type !== 'AAAA') return nodata(`${what}: no ${type} record`);
  if (svc.headless) {
    const eps = readyEndpoints(svc);
    if (eps.length === 0) return nx(`${what}: headless, no ready endpoints`);
    if (type === 'AAAA') return nodata(`${what}: headless, IPv4 endpoints only`);
    const ips = eps.map((e) => formatIPv4(e.ip));
    return { rcode: 'records', records: ips, addresses: ips, decidedBy: `${what}: headless, ready endpoints` };
  }
  if (svc.clusterIP === undefined) return nodata(`${what}: no ClusterIP`);
  return addressAnswer(formatIPv4(svc.clusterIP), type, `${what} ClusterIP`);
}

/** SRV records `0 weight port target.`: one per port (ClusterIP) or per endpoint and port (headless). */
function srvAnswer(svc: ServiceInfo, svcName: string, ports: number[], what: string): DnsAnswer {
  if (ports.length === 0) return nodata(`${what}: no named ports`);
  const targets = svc.headless ? readyEndpoints(svc).map((e) => `${dashed(formatIPv4(e.ip))}.${svcName}`) : [svcName];
  if (targets.length === 0) return nx(`${what}: headless, no ready endpoints`);
  const weight = Math.floor(100 / targets.length);
  const records = ports.flatMap((p) => targets.map((t) => `0 ${weight} ${p} ${t}`));
  return { rcode: 'records', records, addresses: [], decidedBy: `${what} SRV` };
}

/** `<a-b-c-d>.<ns>.pod.<zone>` by the plugin's pods mode. */
function podAnswer(cluster: Cluster, k: KubernetesPlugin, segs: string[], ns: string, type: RecordType): DnsAnswer {
  if (k.pods === 'disabled') return nx('kubernetes: pods disabled (pod records off)');
  if (segs.length !== 2) return nx(`kubernetes: ${segs.join('.')} is not a pod name`);
  const ip = parseIPv4(segs[0].replace(/-/g, '.'));
  if (ip === undefined || !/^\d+-\d+-\d+-\d+$/.test(segs[0])) return nx(`kubernetes: ${segs[0]} is not a dashed IPv4 address`);
  if (k.pods === 'verified') {
    const owner = [...cluster.hosts.values()].find((h) => h.kind === 'pod' && h.namespace?.toLowerCase() === ns && h.interfaces.some((i) => i.addresses.some((a) => a.ip === ip)));
    if (!owner) return nx(`kubernetes: pods verified, no pod ${formatIPv4(ip)} in namespace ${ns}`);
    return addressAnswer(formatIPv4(ip), type, `kubernetes: pods verified, pod ${owner.id}`);
  }
  return addressAnswer(formatIPv4(ip), type, 'kubernetes: pods insecure, address taken from the name');
}

function addressAnswer(ip: string, type: RecordType, decidedBy: string): DnsAnswer {
  if (type === 'A') return { rcode: 'records', records: [ip], addresses: [ip], decidedBy };
  return nodata(`${decidedBy}: IPv4 only, no ${type}`);
}

/** Records the topology's `dns.upstream` gives; `unknown` for names it does not list. */
export function upstreamAnswer(cluster: Cluster, name: string, type: RecordType, depth = 0): DnsAnswer {
  const table = cluster.dns?.upstream ?? {};
  const key = Object.keys(table).find((n) => fqdn(n) === fqdn(name));
  if (key === undefined) return { rcode: 'unknown', records: [], addresses: [], decidedBy: `upstream: ${fqdn(name)} not in the topology's dns.upstream` };
  const values = table[key];
  const v4 = values.filter((v) => parseIPv4(v) !== undefined);
  const v6 = values.filter((v) => v.includes(':'));
  const names = values.filter((v) => parseIPv4(v) === undefined && !v.includes(':'));
  if (type === 'A' && v4.length > 0) return { rcode: 'records', records: v4, addresses: v4, decidedBy: `upstream: ${key}` };
  if (type === 'AAAA' && v6.length > 0) return { rcode: 'records', records: v6, addresses: v6, decidedBy: `upstream: ${key}` };
  if (names.length > 0 && (type === 'A' || type === 'AAAA' || type === 'CNAME')) {
    const target = fqdn(names[0]);
    const chased = depth < 8 && type !== 'CNAME' ? upstreamAnswer(cluster, target, type, depth + 1) : undefined;
    const more = chased?.rcode === 'records' ? chased.records : [];
    return { rcode: 'records', records: [target, ...more], addresses: chased?.addresses ?? [], decidedBy: `upstream: ${key} CNAME ${target}` };
  }
  return nodata(`upstream: ${key} has no ${type}`);
}

function readyEndpoints(svc: ServiceInfo): ServiceInfo['endpoints'] {
  return svc.endpoints;
}

function dashed(ip: string): string {
  return ip.replace(/\./g, '-');
}

function namespaceKnown(cluster: Cluster, ns: string): boolean {
  if (cluster.services.some((s) => s.namespace.toLowerCase() === ns)) return true;
  for (const h of cluster.hosts.values()) if (h.kind === 'pod' && h.namespace?.toLowerCase() === ns) return true;
  return false;
}
