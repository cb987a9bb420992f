/**
 * A first topology from `kubectl get nodes/pods/svc -o wide` (and `get ep`)
 * output: nodes with their internal addresses, pods with address and node,
 * Services with ClusterIP, ports and selector (or endpoints), pod labels when
 * the pods were listed with `--show-labels`. What kubectl does not show (pod
 * CIDRs, the cluster ranges, the router between the nodes) is guessed where the
 * data allows and said so in a comment, or left for the user, never invented.
 */
import { Document, YAMLMap, YAMLSeq, Scalar, Pair } from 'yaml';
import { parseIPv4, prefix, formatPrefix, formatIPv4, firstHost, contains, type IPv4 } from '../../core/net/ipv4';
import type { KubectlDump, KubectlRow } from '../../core/model/kubectl';

/** Counts of what went into the topology, for the message shown after creating it. */
export interface KubectlTopology {
  text: string;
  nodes: number;
  pods: number;
  services: number;
}

const cell = (r: KubectlRow, k: string): string | undefined => {
  const v = r.cells[k];
  return v === undefined || v === '<none>' || v === '<pending>' || v === '' ? undefined : v;
};

// `53/UDP,53/TCP`, `80:30080/TCP`
function portsOf(s: string | undefined): { port: number; protocol: string; nodePort?: number }[] {
  if (!s) return [];
  const out: { port: number; protocol: string; nodePort?: number }[] = [];
  for (const p of s.split(',')) {
    const m = /^(\d+)(?::(\d+))?\/(TCP|UDP|SCTP)$/i.exec(p.trim());
    if (m) out.push({ port: Number(m[1]), protocol: m[3].toUpperCase(), ...(m[2] ? { nodePort: Number(m[2]) } : {}) });
  }
  return out;
}

// `k8s-app=kube-dns,tier=x`
function selectorOf(s: string | undefined): Record<string, string> | undefined {
  if (!s) return undefined;
  const out: Record<string, string> = {};
  for (const kv of s.split(',')) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  return Object.keys(out).length ? out : undefined;
}

function flow(o: Record<string, unknown>): YAMLMap {
  const m = new YAMLMap();
  m.flow = true;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) m.items.push(new Pair(new Scalar(k), new Scalar(v)));
  return m;
}

function withComment<T extends Scalar | YAMLMap>(n: T, c: string): T {
  n.comment = ` ${c}`;
  return n;
}

/** The /24 holding every address, when one does (kubenet and most CNIs give each node one). */
function common24(ips: IPv4[]): string | undefined {
  if (ips.length === 0) return undefined;
  const p = prefix(ips[0], 24);
  return ips.every((a) => contains(p, a)) ? formatPrefix(p) : undefined;
}

/** Builds the topology text. `name` becomes `metadata.name`. */
export function topologyFromKubectl(dump: KubectlDump, name: string): KubectlTopology {
  const rows = (kind: string) => dump.tables.filter((t) => t.kind === kind).flatMap((t) => t.rows);
  const nodeRows = rows('nodes');
  const podRows = rows('pods');
  const svcRows = rows('services');
  const epRows = rows('endpoints');

  const podIpsByNode = new Map<string, IPv4[]>();
  for (const r of podRows) {
    const node = cell(r, 'NODE');
    const ip = parseIPv4(cell(r, 'IP') ?? '');
    if (!node || ip === undefined) continue;
    // hostNetwork pods carry the node's address: they say nothing about the pod CIDR.
    if (nodeRows.some((n) => cell(n, 'NAME') === node && cell(n, 'INTERNAL-IP') === cell(r, 'IP'))) continue;
    if (!podIpsByNode.has(node)) podIpsByNode.set(node, []);
    podIpsByNode.get(node)!.push(ip);
  }

  const nodes = new YAMLSeq();
  const nodeNames = new Set<string>();
  for (const r of nodeRows) {
    const n = cell(r, 'NAME');
    if (!n || nodeNames.has(n)) continue;
    nodeNames.add(n);
    const m = new YAMLMap();
    m.add(new Pair('name', n));
    m.add(new Pair('ip', cell(r, 'INTERNAL-IP') ?? withComment(new Scalar('0.0.0.0'), 'kubectl showed no INTERNAL-IP: fill in')));
    const cidr = common24(podIpsByNode.get(n) ?? []);
    if (cidr) m.add(new Pair('podCIDR', withComment(new Scalar(cidr), 'guessed from the pod addresses on this node')));
    nodes.items.push(m);
  }

  const pods = new YAMLSeq();
  for (const r of podRows) {
    const n = cell(r, 'NAME');
    if (!n) continue;
    const ns = cell(r, 'NAMESPACE');
    const node = cell(r, 'NODE');
    const hostNetwork = nodeRows.some((x) => cell(x, 'NAME') === node && cell(x, 'INTERNAL-IP') === cell(r, 'IP'));
    const pod = flow({ name: n, namespace: ns && ns !== 'default' ? ns : undefined, node, ip: hostNetwork ? undefined : cell(r, 'IP'), hostNetwork: hostNetwork ? true : undefined });
    const labels = selectorOf(cell(r, 'LABELS'));
    if (labels) pod.items.push(new Pair(new Scalar('labels'), flow(labels)));
    pods.items.push(pod);
  }

  const labelled = podRows.some((r) => r.cells.LABELS !== undefined);
  const services = new YAMLSeq();
  for (const r of svcRows) {
    const n = cell(r, 'NAME');
    if (!n) continue;
    const m = new YAMLMap();
    m.add(new Pair('name', n));
    const ns = cell(r, 'NAMESPACE');
    if (ns && ns !== 'default') m.add(new Pair('namespace', ns));
    const type = cell(r, 'TYPE');
    if (type && type !== 'ClusterIP') m.add(new Pair('type', type));
    const ip = cell(r, 'CLUSTER-IP');
    if (ip) m.add(new Pair('clusterIP', ip));
    const selector = selectorOf(cell(r, 'SELECTOR'));
    const ep = epRows.find((e) => cell(e, 'NAME') === n && (cell(e, 'NAMESPACE') ?? ns) === ns);
    const epIps = [...new Set((cell(ep ?? { cells: {}, span: r.span }, 'ENDPOINTS') ?? '').split(',').map((x) => x.trim().split(':')[0]).filter((x) => parseIPv4(x) !== undefined))];
    if (epIps.length) {
      const seq = new YAMLSeq();
      seq.flow = true;
      seq.items.push(...epIps.map((x) => new Scalar(x)));
      // kubectl shortens long lists (`… + 7 more...`): say so rather than pass a partial list off as whole.
      const more = /\+ (\d+) more/.exec(cell(ep!, 'ENDPOINTS') ?? '');
      if (more) seq.comment = ` kubectl left out ${more[1]} more: list them, or use a selector with pod labels`;
      m.add(new Pair('endpoints', seq));
    } else if (selector && labelled) {
      m.add(new Pair('selector', flow(selector)));
    } else if (selector) {
      // Without the pods' labels a selector would match nothing: the user adds both, or the endpoints.
      m.commentBefore = ` selector ${cell(r, 'SELECTOR')}: paste kubectl get pods -A -o wide --show-labels (or kubectl get ep) to carry it`;
    }
    const ports = new YAMLSeq();
    for (const p of portsOf(cell(r, 'PORT(S)'))) ports.items.push(flow({ port: p.port, targetPort: p.port, protocol: p.protocol, nodePort: p.nodePort }));
    if (ports.items.length) m.add(new Pair('ports', ports));
    services.items.push(m);
  }

  const spec = new YAMLMap();
  const svcIps = svcRows.map((r) => parseIPv4(cell(r, 'CLUSTER-IP') ?? '')).filter((x): x is IPv4 => x !== undefined);
  const svc16 = svcIps.length && svcIps.every((a) => contains(prefix(svcIps[0], 16), a)) ? formatPrefix(prefix(svcIps[0], 16)) : undefined;
  if (svc16) spec.add(new Pair('serviceCIDR', withComment(new Scalar(svc16), 'guessed: the /16 holding every ClusterIP')));
  const routers = routerPlaceholder(nodes);
  spec.add(new Pair('routers', routers));
  spec.add(new Pair('nodes', nodes));
  spec.add(new Pair('pods', pods));
  spec.add(new Pair('services', services));

  const root = new YAMLMap();
  root.add(new Pair('apiVersion', 'kube-netsim/v1'));
  root.add(new Pair('kind', 'Cluster'));
  root.add(new Pair('metadata', flow({ name })));
  root.add(new Pair('spec', spec));
  const doc = new Document(root);
  doc.commentBefore = ' Created from kubectl output. Add what kubectl does not show: the router\'s real route table,\n'
    + ' clusterCIDR, each node\'s podCIDR where not guessed, and dumps (iptables-save, route -n, ip addr).';
  return { text: doc.toString({ lineWidth: 0 }), nodes: nodes.items.length, pods: pods.items.length, services: services.items.length };
}

/**
 * The router between the nodes, as a placeholder to replace: kubectl cannot show
 * it. Its routes are the ones kubenet and cloud route tables hold (each node's
 * podCIDR via that node), so the topology traces from the start; the comment
 * says what to paste instead. No router when no node has a podCIDR to route.
 */
function routerPlaceholder(nodes: YAMLSeq): YAMLSeq {
  const routers = new YAMLSeq();
  const rows = nodes.items.flatMap((n) => {
    const m = n as YAMLMap;
    const ip = parseIPv4(String(m.get('ip')));
    const cidr = m.get('podCIDR', true) as Scalar | undefined;
    return ip === undefined ? [] : [{ ip, cidr: cidr ? String(cidr.value) : undefined }];
  });
  const net = common24(rows.map((r) => r.ip));
  if (!net || !rows.some((r) => r.cidr)) return routers;
  const first = firstHost(prefix(rows[0].ip, 24));
  const taken = rows.some((r) => r.ip === first);
  const ip = taken ? formatIPv4(first).replace(/\.1$/, '.254') : formatIPv4(first);
  const routes = new YAMLSeq();
  for (const r of rows) if (r.cidr) routes.items.push(flow({ to: r.cidr, via: formatIPv4(r.ip) }));
  const router = new YAMLMap();
  router.commentBefore = ' The router between the nodes (cloud route table, VPC router, gateway): kubectl cannot show it.\n'
    + ' Its routes below are derived from the podCIDRs, as kubenet writes them: replace them with its real table,\n'
    + ' pasted as `routes: |` (Azure: az network route-table route list -o table; a Linux router: ip route or route -n).';
  router.add(new Pair('name', 'gateway'));
  router.add(new Pair('ip', withComment(new Scalar(ip), `guessed: an address on the nodes' network ${net}; set the real one`)));
  router.add(new Pair('routes', routes));
  routers.items.push(router);
  return routers;
}
