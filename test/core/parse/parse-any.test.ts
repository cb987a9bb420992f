/** parseAs: dispatch by named or detected format, and the summary a person checks at a glance. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAs } from '../../../src/core/parse/parse-any';
import { text } from './parse-view';

const CASES: { name: string; format: Parameters<typeof parseAs>[0]; input: string; detected: string; summary: Record<string, unknown>; codes?: string[] }[] = [
  {
    name: 'iptables-save: per-table chains and rules', format: 'auto',
    input: text('*nat', ':PREROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', '-A PREROUTING -j KUBE-SERVICES', 'COMMIT', '*filter', ':INPUT ACCEPT [0:0]', 'COMMIT'),
    detected: 'iptables-save', summary: { tables: { nat: { chains: 2, rules: 1 }, filter: { chains: 1, rules: 0 } }, chains: 3, rules: 1 },
  },
  {
    name: 'iptables -S: the table comes from the prompt', format: 'auto',
    input: text('# iptables -t nat -S', '-P PREROUTING ACCEPT', '-N DOCKER', '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER'),
    detected: 'iptables-S', summary: { tables: { nat: { chains: 2, rules: 1 } }, chains: 2, rules: 1 }, codes: ['pasted-prompt'],
  },
  {
    name: 'routes: counts by type and table', format: 'ip-route',
    input: text('default via 10.0.0.1 dev eth0', 'blackhole 10.244.1.0/24 proto bird', 'local 10.0.0.5 dev eth0 table local'),
    detected: 'ip-route', summary: { routes: 3, byType: { unicast: 1, blackhole: 1, local: 1 }, tables: ['main', 'local'] },
  },
  {
    name: 'routes: `ip route show table 101` names the table', format: 'auto',
    input: text('$ ip route show table 101', 'default via 172.31.0.1 dev vlan.eth.1'),
    detected: 'ip-route', summary: { routes: 1, byType: { unicast: 1 }, tables: ['101'] }, codes: ['pasted-prompt'],
  },
  {
    name: 'interfaces', format: 'auto',
    input: text('cbr0 Link encap:Ethernet HWaddr 0a:58:0a:f4:00:01', 'inet addr:10.244.0.1 Bcast:0.0.0.0 Mask:255.255.255.0'),
    detected: 'ifconfig', summary: { interfaces: 1, addresses: 1 },
  },
  {
    name: 'resolv.conf', format: 'resolv-conf', input: 'nameserver 10.0.0.10\nsearch svc.cluster.local\noptions ndots:5',
    detected: 'resolv-conf', summary: { nameservers: ['10.0.0.10'], search: ['svc.cluster.local'], ndots: 5 },
  },
  {
    name: 'kubectl', format: 'auto', input: 'NAME   TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\nweb    ClusterIP   10.96.94.225   <none>        80/TCP    1m',
    detected: 'kubectl', summary: { tables: [{ kind: 'services', rows: 1 }] },
  },
  {
    name: 'ip rule', format: 'auto', input: '0:\tfrom all lookup local\n32766:\tfrom all lookup main', detected: 'ip-rule', summary: { rules: 2 },
  },
  {
    name: 'ipvsadm', format: 'auto', input: 'TCP  10.96.0.1:443 rr\n  -> 172.18.0.3:6443 Masq 1 0 0', detected: 'ipvsadm', summary: { services: 1, realServers: 1 },
  },
  {
    name: 'ipset: a set without its members', format: 'auto', input: 'Name: KUBE-CLUSTER-IP\nType: hash:ip,port', detected: 'ipset', summary: { sets: 1, members: 0 },
  },
  {
    name: 'ipset: two members', format: 'auto', input: 'Name: KUBE-LOOP-BACK\nType: hash:ip,port,ip\nMembers:\n10.244.1.2,tcp:3030,10.244.1.2\n10.244.1.6,tcp:80,10.244.1.6',
    detected: 'ipset', summary: { sets: 1, members: 2 },
  },
  {
    name: 'nft: a list ruleset block', format: 'auto', input: 'table ip kube-proxy {\n\tchain services {\n\t\tip daddr 10.96.0.10 tcp dport 53 jump svc-x\n\t}\n}',
    detected: 'nft-ruleset', summary: { tables: 1, chains: 1, rules: 1, sets: 0, baseChains: 0, elements: 0 },
  },
  {
    name: 'Kubernetes objects: an EndpointSlice with no name is reported', format: 'auto', input: 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice', detected: 'kubernetes',
    summary: { nodes: 0, pods: 0, services: 0, endpointSlices: 0, namespaces: 0, workloads: 0, networkPolicies: 0 }, codes: ['kube-missing-name'],
  },
  {
    name: 'Kubernetes objects as JSON (kubectl get -o json)', format: 'auto',
    input: '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}]\n}',
    detected: 'kubernetes', summary: { nodes: 0, pods: 0, services: 0, endpointSlices: 0, namespaces: 1, workloads: 0, networkPolicies: 0 },
  },
  {
    name: 'nothing fits: an error, format unknown', format: 'auto', input: 'hello\nworld', detected: 'unknown', summary: {}, codes: ['format-undetected'],
  },
];

for (const c of CASES) {
  void test(`parseAs: ${c.name}`, () => {
    const r = parseAs(c.format, c.input);
    assert.equal(r.format, c.detected);
    assert.deepEqual(r.summary, c.summary);
    assert.deepEqual(r.issues.map((i) => i.code), c.codes ?? []);
  });
}

void test('parseAs: a named format is used even where detection would differ', () => {
  const r = parseAs('resolv-conf', 'default via 10.0.0.1 dev eth0');
  assert.equal(r.format, 'resolv-conf');
  assert.deepEqual(r.issues.map((i) => [i.code, i.severity]), [['resolv-line-other-format', 'info']]);
});

void test('parseAs: a topology parsed on its own refuses its {file: …} sources', () => {
  const topo = text(
    'apiVersion: kube-netsim/v1', 'kind: Cluster', 'metadata:', '  name: t', 'spec:', '  nodes:', '    - name: n0', '      ip: 10.240.0.4',
    '      podCIDR: 10.244.0.0/24', '      routes: {file: n0.route-n.txt}',
  );
  const r = parseAs('auto', topo);
  assert.equal(r.format, 'topology');
  assert.equal(r.summary.nodes, 1);
  assert.ok(r.issues.some((i) => i.severity === 'error' && i.span.line === 10), JSON.stringify(r.issues.map((i) => [i.code, i.span.line])));
});
