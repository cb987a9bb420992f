/**
 * The resolv.conf kubelet writes into a pod when the topology gives none, from
 * the pod's `dnsPolicy` and `dnsConfig`:
 * - ClusterFirst (the default) and ClusterFirstWithHostNet: `nameserver` the
 *   cluster DNS Service's ClusterIP, `search <ns>.svc.<domain> svc.<domain>
 *   <domain>` followed by the node's own search domains, `options ndots:5`;
 * - Default: the node's resolv.conf (unknown unless the node's is given);
 * - None: only what `dnsConfig` says.
 * `dnsConfig` is merged as kubelet does: nameservers and searches appended
 * (duplicates dropped, at most 3 nameservers), options replacing same-named ones.
 */
import { formatIPv4, type IPv4 } from '../net/ipv4';
import { DEFAULT_RESOLV_OPTIONS, type ResolvConf, type ResolvOptions } from '../model/resolv';
import type { Span } from '../source';
import type { Cluster, Host } from '../model/cluster';

/** A derived resolver configuration and what had to be assumed for it. */
export interface DerivedResolvConf {
  /** Undefined when nothing can be derived (dnsPolicy Default without the node's resolv.conf). */
  conf?: ResolvConf;
  assumptions: string[];
  error?: string;
}

const NO_SPAN: Span = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

/** The cluster DNS address: the ClusterIP of Service kube-system/kube-dns, else the 10th address of the service CIDR (kubeadm's choice). */
export function clusterDnsAddress(cluster: Cluster): { ip?: IPv4; assumption?: string } {
  const svc = cluster.services.find((s) => s.namespace === 'kube-system' && s.name === 'kube-dns' && s.clusterIP !== undefined);
  if (svc?.clusterIP !== undefined) return { ip: svc.clusterIP };
  if (cluster.serviceCIDR) {
    const ip = (cluster.serviceCIDR.addr + 10) >>> 0;
    return { ip, assumption: `no Service kube-system/kube-dns: cluster DNS assumed at ${formatIPv4(ip)}, the 10th address of the service CIDR` };
  }
  return {};
}

/** The resolv.conf kubelet would give `pod` (a pod host) from its dnsPolicy and dnsConfig. */
export function defaultResolvConf(cluster: Cluster, pod: Host): DerivedResolvConf {
  const assumptions: string[] = [];
  const policy = pod.dnsPolicy ?? 'ClusterFirst';
  const domain = cluster.dnsDomain.replace(/\.+$/, '');
  const node = pod.node !== undefined ? cluster.hosts.get(pod.node) : undefined;
  let base: { nameservers: string[]; search: string[]; options: ResolvOptions };
  if (policy === 'None') {
    base = { nameservers: [], search: [], options: { ...DEFAULT_RESOLV_OPTIONS, other: [] } };
    if (!pod.dnsConfig) return { assumptions, error: `dnsPolicy None without dnsConfig: ${pod.id} has no resolver configuration` };
  } else if (policy === 'Default') {
    if (!node?.resolvConf) return { assumptions, error: `dnsPolicy Default: ${pod.id} uses its node's resolv.conf, which the topology does not give` };
    const n = node.resolvConf;
    base = { nameservers: n.nameservers.map((s) => s.address), search: [...n.search], options: { ...n.options, other: [...n.options.other] } };
    assumptions.push(`dnsPolicy Default: resolv.conf of node ${node.id}`);
  } else {
    if (policy !== 'ClusterFirst' && policy !== 'ClusterFirstWithHostNet') assumptions.push(`unknown dnsPolicy ${policy}: treated as ClusterFirst`);
    const dns = clusterDnsAddress(cluster);
    if (dns.assumption) assumptions.push(dns.assumption);
    if (dns.ip === undefined) return { assumptions, error: 'no cluster DNS address: no Service kube-system/kube-dns and no serviceCIDR' };
    const ns = pod.namespace ?? 'default';
    const search = [`${ns}.svc.${domain}`, `svc.${domain}`, domain];
    if (node?.resolvConf) search.push(...node.resolvConf.search.filter((d) => !search.includes(d)));
    else assumptions.push('node search domains unknown: none appended to the pod search list');
    base = { nameservers: [formatIPv4(dns.ip)], search, options: { ...DEFAULT_RESOLV_OPTIONS, ndots: 5, other: [] } };
    assumptions.push(`resolv.conf derived for dnsPolicy ${policy}: nameserver ${formatIPv4(dns.ip)}, search ${search.join(' ')}, options ndots:5`);
  }
  if (pod.dnsConfig) mergeDnsConfig(base, pod.dnsConfig);
  const conf: ResolvConf = {
    nameservers: base.nameservers.slice(0, 3).map((address) => ({ address, span: NO_SPAN })),
    search: base.search,
    options: base.options,
    optionSpans: {},
  };
  return { conf, assumptions };
}

/** kubelet's merge of `dnsConfig` into the policy's base configuration. */
function mergeDnsConfig(base: { nameservers: string[]; search: string[]; options: ResolvOptions }, cfg: NonNullable<Host['dnsConfig']>): void {
  for (const n of cfg.nameservers) if (!base.nameservers.includes(n)) base.nameservers.push(n);
  for (const s of cfg.searches) if (!base.search.includes(s)) base.search.push(s);
  for (const o of cfg.options) applyOption(base.options, o.name, o.value);
}

/** Sets one resolv.conf option by name, with glibc's caps. */
export function applyOption(opts: ResolvOptions, name: string, value: string | undefined): void {
  const num = value !== undefined ? Number(value) : NaN;
  switch (name) {
    case 'ndots': if (Number.isFinite(num)) opts.ndots = Math.min(Math.max(num, 0), 15); break;
    case 'timeout': if (Number.isFinite(num)) opts.timeout = Math.min(Math.max(num, 1), 30); break;
    case 'attempts': if (Number.isFinite(num)) opts.attempts = Math.min(Math.max(num, 1), 5); break;
    case 'rotate': opts.rotate = true; break;
    case 'single-request': opts.singleRequest = true; break;
    case 'single-request-reopen': opts.singleRequestReopen = true; break;
    case 'use-vc': opts.useVc = true; break;
    case 'no-aaaa': opts.noAaaa = true; break;
    case 'edns0': opts.edns0 = true; break;
    case 'trust-ad': opts.trustAd = true; break;
    default: opts.other.push(value !== undefined ? `${name}:${value}` : name);
  }
}
