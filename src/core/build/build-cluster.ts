/**
 * Topology → Cluster: the hosts, links and rules the simulator walks.
 *
 * Hosts are built for routers, plain hosts, nodes and pods (a hostNetwork pod
 * is not a host: it is recorded in `hostNetworkPods` and resolves to its node).
 * For each, a dump is the truth and the rest is derived as kubenet would set it
 * up; where the two disagree, `cluster.issues` says so and the dump is followed.
 */
import type { Issue } from '../source';
import type { Topology, TopologyNode } from '../model/topology';
import type { Cluster, Host, HostInterface } from '../model/cluster';
import { buildServices } from './endpoints';
import { type InterfaceContext, knownNetworks, machineInterfaces, nodeInterfaces, podInterfaces, vethName } from './build-interfaces';
import { buildRouting, gatewayOn } from './build-routing';
import { type PodAttachment, buildSegments } from './build-segments';
import { dumpNftables } from './build-nftables';
import { type KubeProxyRules, dumpNetfilter, generatedNetfilter, kubeProxyRules } from './build-netfilter';
import { topologyOrigin } from './placement';
import { fdbFromDump, neighboursFromDump } from './build-links';
import { formatIPv4 } from '../net/ipv4';

/** Builds the modelled network from a parsed topology. Never throws; problems go to `cluster.issues`. */
export function buildCluster(t: Topology): Cluster {
  const issues: Issue[] = [];
  const ctx: InterfaceContext = { t, issues, known: knownNetworks(t) };
  const hosts = new Map<string, Host>();
  const services = buildServices(t);
  const nodesByName = new Map<string, TopologyNode>(t.nodes.map((n) => [n.name, n]));
  const hostNetworkPods = new Map<string, string>();
  const podsOn = (n: string) => t.pods.filter((p) => p.node === n && !p.hostNetwork);

  const gateways: { name: string; ifaces: HostInterface[] }[] = [];
  for (const r of t.routers) {
    const ifaces = machineInterfaces(ctx, r, 'router');
    gateways.push({ name: r.name, ifaces });
    hosts.set(r.name, {
      id: r.name, kind: 'router', name: r.name, interfaces: ifaces,
      routing: buildRouting({ t, ifaces, span: r.nameSpan, routes: r.routes, ipRules: r.ipRules }),
      netfilter: r.iptables ? dumpNetfilter(r.iptables) : undefined,
      nftables: r.nftables ? dumpNftables(r.nftables, !!r.iptables) : undefined,
      flags: { ipForward: r.ipForward ?? true, brNetfilter: false },
      origin: topologyOrigin(t, r.nameSpan, `router ${r.name}`),
    });
  }
  const defaultVia = (ifaces: HostInterface[], who: string, span: Issue['span']) => {
    const eth = ifaces.find((i) => !i.isLoopback && !i.isBridge && !i.master && i.addresses.length > 0);
    const gw = gatewayOn(eth, gateways);
    if (!gw || !eth) {
      issues.push({ code: 'no-default-route', severity: 'info', span, file: t.file, message: `${who}: no router on its network and no routes given; it has no default route` });
      return undefined;
    }
    return { via: gw.via, dev: eth.name, why: `default route via router ${gw.name} ${formatIPv4(gw.via)} on ${eth.name}'s network` };
  };
  for (const h of t.hosts) {
    const ifaces = machineInterfaces(ctx, h, 'host');
    hosts.set(h.name, {
      id: h.name, kind: 'host', name: h.name, interfaces: ifaces,
      routing: buildRouting({ t, ifaces, span: h.nameSpan, routes: h.routes, ipRules: h.ipRules, defaultVia: h.routes ? undefined : defaultVia(ifaces, `host ${h.name}`, h.nameSpan) }),
      netfilter: h.iptables ? dumpNetfilter(h.iptables) : undefined,
      nftables: h.nftables ? dumpNftables(h.nftables, !!h.iptables) : undefined,
      flags: { ipForward: h.ipForward ?? false, brNetfilter: false },
      origin: topologyOrigin(t, h.nameSpan, `host ${h.name}`),
    });
  }
  let generated: KubeProxyRules | undefined;
  const bridges = new Map<string, string>();
  for (const n of t.nodes) {
    const ifaces = nodeInterfaces(ctx, n, podsOn(n.name));
    if (ifaces.some((i) => i.name === n.bridge)) bridges.set(n.name, n.bridge);
    // A node with an nftables dump and no iptables dump: the dump is the truth, nothing is generated.
    if (!n.iptables && !n.nftables) generated ??= kubeProxyRules(t, services, issues);
    hosts.set(n.name, {
      id: n.name, kind: 'node', name: n.name, interfaces: ifaces,
      routing: buildRouting({ t, ifaces, span: n.nameSpan, routes: n.routes, ipRules: n.ipRules, defaultVia: n.routes ? undefined : defaultVia(ifaces, `node ${n.name}`, n.nameSpan) }),
      netfilter: n.iptables ? dumpNetfilter(n.iptables) : n.nftables ? undefined : generatedNetfilter(t, n, generated!),
      nftables: n.nftables ? dumpNftables(n.nftables, !!n.iptables) : undefined,
      flags: { ipForward: n.ipForward ?? true, brNetfilter: n.bridgeNfCallIptables },
      origin: topologyOrigin(t, n.nameSpan, `node ${n.name}`),
      ...(n.neighbours ? { neighbours: neighboursFromDump(t, n.neighbours) } : {}),
      ...(n.fdb ? { fdb: fdbFromDump(t, n.fdb) } : {}),
    });
  }
  const attachments: PodAttachment[] = [];
  for (const p of t.pods) {
    const id = `${p.namespace}/${p.name}`;
    const node = nodesByName.get(p.node);
    if (p.hostNetwork) {
      if (node) hostNetworkPods.set(id, node.name);
      continue;
    }
    const ifaces = podInterfaces(ctx, p, node);
    const eth = ifaces.find((i) => p.ip !== undefined && i.addresses.some((a) => a.ip === p.ip)) ?? ifaces.find((i) => !i.isLoopback);
    const nodeHost = node ? hosts.get(node.name) : undefined;
    const bridge = nodeHost?.interfaces.find((i) => i.name === node!.bridge);
    const bridgeIp = bridge?.addresses[0]?.ip;
    const viaBridge = bridgeIp !== undefined && eth ? { via: bridgeIp, dev: eth.name, why: `kubenet default route via ${node!.bridge} ${formatIPv4(bridgeIp)} on node ${node!.name}` } : undefined;
    if (eth && node) attachments.push({ pod: id, node: node.name, iface: eth.name, port: node.interfaces ? undefined : vethName(p) });
    hosts.set(id, {
      id, kind: 'pod', name: p.name, node: p.node, namespace: p.namespace, labels: p.labels, interfaces: ifaces,
      routing: buildRouting({ t, ifaces, span: p.nameSpan, routes: p.routes, defaultVia: viaBridge }),
      flags: { ipForward: false, brNetfilter: false },
      // A pasted resolv.conf is the truth; otherwise src/core/dns derives the kubelet's
      // one from dnsPolicy/dnsConfig when a name is resolved, with its assumptions stated.
      resolvConf: p.resolvConf?.value,
      resolver: p.resolver,
      dnsPolicy: p.dnsPolicy,
      dnsConfig: p.dnsConfig,
      origin: topologyOrigin(t, p.nameSpan, `pod ${id}`),
    });
  }
  const segments = buildSegments(hosts, bridges, attachments);
  const addressOwner: Cluster['addressOwner'] = new Map();
  for (const h of hosts.values()) {
    for (const i of h.interfaces) {
      if (i.isLoopback) continue;
      for (const a of i.addresses) if (!addressOwner.has(a.ip)) addressOwner.set(a.ip, { host: h.id, iface: i.name });
    }
  }
  const dns = t.dns ? { corefile: t.dns.corefile ? { text: t.dns.corefile.text, placement: t.dns.corefile.placement } : undefined, upstream: t.dns.upstream } : undefined;
  return { hosts, segments, addressOwner, services, clusterCIDR: t.clusterCIDR, serviceCIDR: t.serviceCIDR, dnsDomain: t.dnsDomain, dns, hostNetworkPods, issues };
}
