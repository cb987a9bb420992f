/**
 * The entries of `spec:` (routers, hosts, nodes, pods, services, dns), each read
 * from its YAML map with the position of every value, defaults applied as the
 * format documents them (bridge cbr0, br_netfilter on, hairpin on, namespace
 * `default`, protocol TCP, a pod ready unless it says otherwise).
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type {
  TopologyDns, TopologyMachine, TopologyNode, TopologyPod, TopologyService, TopologyServicePort,
} from '../../model/topology';
import { TOPOLOGY_FIELDS } from './topology-fields';
import { type MapView, asMap, listItems, report, spanOf } from './topology-yaml';
import type { SourceContext } from './topology-sources';
import { resolveSource } from './topology-sources';
import { readInterfaces, readIpRules, readIptables, readResolvConf, readRoutes } from './topology-dumps';
import { parseIPv4 } from '../../net/ipv4';
import { readNftables } from './topology-nftables';
import { readFdb, readNeighbours } from './topology-links';

/** Reads the fields every machine has (name, ip, interfaces, routes, ipRules, iptables, ipForward). */
function readMachineFields(sc: SourceContext, m: MapView, what: string): TopologyMachine | undefined {
  const name = m.str('name', true);
  if (!name) return undefined;
  const label = `${what} "${name.value}"`;
  const ip = m.ip('ip');
  const f = (k: string): Node | null | undefined => (m.has(k) ? m.get(k)!.value : undefined);
  const machine: TopologyMachine = { name: name.value, nameSpan: name.span, span: m.span };
  if (ip) {
    machine.ip = ip.value;
    machine.ipSpan = ip.span;
  }
  if (f('interfaces') !== undefined) machine.interfaces = readInterfaces(sc, f('interfaces')!, label);
  if (f('routes') !== undefined) machine.routes = readRoutes(sc, f('routes')!, label);
  if (f('ipRules') !== undefined) machine.ipRules = readIpRules(sc, f('ipRules')!, label);
  if (f('iptables') !== undefined) machine.iptables = readIptables(sc, f('iptables')!, label);
  if (f('nftables') !== undefined) machine.nftables = readNftables(sc, f('nftables')!, label);
  if (m.has('ipForward')) machine.ipForward = m.bool('ipForward', false);
  return machine;
}

/** A router or a plain host: needs `ip` or `interfaces`. */
export function readMachine(sc: SourceContext, node: Node | null, kind: 'router' | 'host'): TopologyMachine | undefined {
  const m = asMap(sc.yaml, node, TOPOLOGY_FIELDS[kind], `a ${kind}`);
  if (!m) return undefined;
  const machine = readMachineFields(sc, m, kind);
  if (machine && !m.has('ip') && !m.has('interfaces')) m.missing('ip');
  return machine;
}

/** A node: `ip` is required; podCIDR, bridge and kernel switches have kubenet's defaults. */
export function readNode(sc: SourceContext, node: Node | null): TopologyNode | undefined {
  const m = asMap(sc.yaml, node, TOPOLOGY_FIELDS.node, 'a node');
  if (!m) return undefined;
  const base = readMachineFields(sc, m, 'node');
  if (!base) return undefined;
  if (!m.has('ip')) m.missing('ip');
  if (base.ip === undefined) return undefined;
  const podCIDR = m.cidr('podCIDR');
  const out: TopologyNode = {
    ...base,
    ip: base.ip,
    podCIDR: podCIDR?.value,
    podCIDRSpan: podCIDR?.span,
    bridge: m.str('bridge')?.value ?? 'cbr0',
    bridgeNfCallIptables: m.bool('bridgeNfCallIptables', true),
    hairpinMode: m.bool('hairpinMode', true),
  };
  const label = `node "${base.name}"`;
  if (m.has('neighbours')) out.neighbours = readNeighbours(sc, m.get('neighbours')!.value, label);
  if (m.has('fdb')) out.fdb = readFdb(sc, m.get('fdb')!.value, label);
  return out;
}

const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;

function readDnsConfig(sc: SourceContext, m: MapView): TopologyPod['dnsConfig'] {
  const f = m.get('dnsConfig');
  if (!f) return undefined;
  const d = asMap(sc.yaml, f.value, TOPOLOGY_FIELDS.dnsConfig, 'dnsConfig');
  if (!d) return undefined;
  const options: { name: string; value?: string }[] = [];
  for (const item of listItems(sc.yaml, d.get('options'), 'dnsConfig options')) {
    const o = asMap(sc.yaml, item, TOPOLOGY_FIELDS.dnsOption, 'a dnsConfig option');
    const name = o?.str('name', true);
    if (name) options.push({ name: name.value, value: o!.str('value')?.value });
  }
  return {
    nameservers: (d.strList('nameservers') ?? []).map((s) => s.value),
    searches: (d.strList('searches') ?? []).map((s) => s.value),
    options,
  };
}

/** A pod: `node` is required, `ip` too unless `hostNetwork: true`. */
export function readPod(sc: SourceContext, node: Node | null): TopologyPod | undefined {
  const m = asMap(sc.yaml, node, TOPOLOGY_FIELDS.pod, 'a pod');
  if (!m) return undefined;
  const name = m.str('name', true);
  if (!name) return undefined;
  const namespace = m.str('namespace')?.value ?? 'default';
  const label = `pod "${namespace}/${name.value}"`;
  const onNode = m.str('node', true);
  const hostNetwork = m.bool('hostNetwork', false);
  const ip = hostNetwork ? m.ip('ip') : m.ip('ip', true);
  const f = (k: string): Node | null | undefined => (m.has(k) ? m.get(k)!.value : undefined);
  const pod: TopologyPod = {
    name: name.value, namespace, nameSpan: name.span, span: m.span,
    node: onNode?.value ?? '', nodeSpan: onNode?.span,
    ip: ip?.value, ipSpan: ip?.span,
    labels: m.strMap('labels') ?? {},
    hostNetwork,
    dnsPolicy: m.oneOf('dnsPolicy', DNS_POLICIES),
    dnsConfig: readDnsConfig(sc, m),
    resolver: m.oneOf('resolver', ['glibc', 'musl'] as const),
    ready: m.bool('ready', true),
  };
  if (f('interfaces') !== undefined) pod.interfaces = readInterfaces(sc, f('interfaces')!, label);
  if (f('routes') !== undefined) pod.routes = readRoutes(sc, f('routes')!, label);
  if (f('resolvConf') !== undefined) pod.resolvConf = readResolvConf(sc, f('resolvConf')!, label);
  return pod;
}

function readPort(sc: SourceContext, item: Node | null): TopologyServicePort | undefined {
  const m = asMap(sc.yaml, item, TOPOLOGY_FIELDS.servicePort, 'a service port');
  if (!m) return undefined;
  const port = m.int('port', 1, 65535, true);
  if (port === undefined) return undefined;
  let targetPort: number | string = port;
  const tp = m.get('targetPort');
  if (tp && isScalar(tp.value) && typeof tp.value.value === 'number') targetPort = m.int('targetPort', 1, 65535) ?? port;
  else if (tp) targetPort = m.str('targetPort')?.value ?? port;
  return {
    name: m.str('name')?.value,
    port,
    targetPort,
    protocol: m.oneOf('protocol', ['TCP', 'UDP', 'SCTP'] as const) ?? 'TCP',
    nodePort: m.int('nodePort', 1, 65535),
    span: m.span,
  };
}

/** A Service: `clusterIP` an address or `None` (headless); required unless the type is ExternalName. */
export function readService(sc: SourceContext, node: Node | null): TopologyService | undefined {
  const m = asMap(sc.yaml, node, TOPOLOGY_FIELDS.service, 'a service');
  if (!m) return undefined;
  const name = m.str('name', true);
  if (!name) return undefined;
  const type = m.oneOf('type', ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const) ?? 'ClusterIP';
  const cip = m.str('clusterIP', type !== 'ExternalName');
  let clusterIP: number | undefined;
  const headless = cip?.value === 'None';
  if (cip && !headless) {
    clusterIP = parseIPv4(cip.value);
    if (clusterIP === undefined) report(sc.yaml, cip.span, 'topology-bad-ip', 'error', `clusterIP "${cip.value}" is not an IPv4 address or "None"`);
  }
  const externalName = m.str('externalName', type === 'ExternalName')?.value;
  const ports: TopologyServicePort[] = [];
  for (const item of listItems(sc.yaml, m.get('ports'), 'ports')) {
    const p = readPort(sc, item);
    if (p) ports.push(p);
  }
  const lbs = [...(m.ipList('loadBalancerIPs') ?? [])];
  const lb = m.ip('loadBalancerIP');
  if (lb) lbs.push(lb.value);
  return {
    name: name.value,
    namespace: m.str('namespace')?.value ?? 'default',
    nameSpan: name.span, span: m.span,
    clusterIP, headless, clusterIPSpan: cip?.span,
    selector: m.strMap('selector'),
    endpoints: m.ipList('endpoints'),
    type, externalName, ports,
    sessionAffinity: m.oneOf('sessionAffinity', ['None', 'ClientIP'] as const),
    externalTrafficPolicy: m.oneOf('externalTrafficPolicy', ['Cluster', 'Local'] as const),
    internalTrafficPolicy: m.oneOf('internalTrafficPolicy', ['Cluster', 'Local'] as const),
    loadBalancerIPs: lbs.length ? lbs : undefined,
    externalIPs: m.ipList('externalIPs'),
  };
}

/** `dns:` (additive): a Corefile source and upstream records (`name: [addresses]` or `name: target`). */
export function readDns(sc: SourceContext, node: Node | null): TopologyDns | undefined {
  const m = asMap(sc.yaml, node, TOPOLOGY_FIELDS.dns, 'dns');
  if (!m) return undefined;
  const out: TopologyDns = {};
  if (m.has('corefile')) out.corefile = resolveSource(sc, m.get('corefile')!.value, 'dns corefile');
  const up = m.get('upstream');
  if (up) {
    if (!isMap(up.value)) report(sc.yaml, up.value, 'topology-wrong-type', 'error', 'dns upstream must map names to addresses');
    else {
      out.upstream = {};
      out.upstreamSpans = {};
      for (const p of up.value.items as Pair[]) {
        const k = p.key as Node | null;
        const v = p.value as Node | null;
        const values = isSeq(v) ? (v.items as (Node | null)[]) : [v];
        const texts = values.filter((x): x is Node => isScalar(x) && x !== null && (x as { value: unknown }).value !== null).map((x) => String((x as { value: unknown }).value));
        if (texts.length !== values.length) report(sc.yaml, v, 'topology-wrong-type', 'error', 'dns upstream values must be addresses or names');
        out.upstream[isScalar(k) ? String(k.value) : ''] = texts;
        out.upstreamSpans[isScalar(k) ? String(k.value) : ''] = spanOf(sc.yaml, k);
      }
    }
  }
  return out;
}
