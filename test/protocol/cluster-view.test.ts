import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toClusterView } from '../../src/protocol/cluster-view';
import { DNS_A, DNS_B, seedCluster } from '../fixtures/render/seed';

void test('seed cluster: routers, nodes with their pods, services with ClusterIPs', () => {
  const v = toClusterView(seedCluster());
  assert.deepEqual(v.routers.map((r) => r.id), ['azure-gateway']);
  assert.deepEqual(v.nodes.map((n) => [n.id, n.pods.map((p) => p.id)]), [
    ['k8s-agent-0', ['default/ubuntu', DNS_A]],
    ['k8s-agent-1', [DNS_B]],
    ['k8s-master-0', []],
  ]);
  assert.deepEqual(v.hosts, []);
  assert.deepEqual(v.services, [{
    id: 'kube-system/kube-dns', name: 'kube-dns', namespace: 'kube-system', clusterIP: '10.0.0.10', type: 'ClusterIP',
    ports: ['53/UDP', '53/TCP'], endpoints: [{ ip: '10.244.0.2', pod: DNS_A }, { ip: '10.244.1.2', pod: DNS_B }],
  }]);
  assert.equal(v.clusterCIDR, '10.244.0.0/16');
  assert.equal(v.serviceCIDR, '10.0.0.0/16');
});

void test('pods hang under the bridge that shares their segment; loopback is not drawn', () => {
  const v = toClusterView(seedCluster());
  const agent0 = v.nodes[0];
  assert.deepEqual(agent0.bridges.map((b) => [b.name, b.addresses, b.segment]), [
    ['cbr0', ['10.244.0.1/24'], 'k8s-agent-0/cbr0'],
    ['docker0', ['172.17.0.1/16'], undefined],
  ]);
  assert.deepEqual(agent0.interfaces.map((i) => i.name), ['eth0']);
  assert.deepEqual(agent0.pods.map((p) => [p.name, p.bridge, p.interfaces.map((i) => i.addresses[0])]), [
    ['ubuntu', 'cbr0', ['10.244.0.6/24']],
    ['kube-dns-v20-3003781527-lc299', 'cbr0', ['10.244.0.2/24']],
  ]);
});

void test('segments list member hosts once, with the owner of a bridge', () => {
  const v = toClusterView(seedCluster());
  assert.deepEqual(v.segments.map((s) => [s.id, s.kind, s.prefix, s.hosts, s.owner]), [
    ['node-network', 'network', '10.240.0.0/16', ['azure-gateway', 'k8s-agent-0', 'k8s-agent-1', 'k8s-master-0'], undefined],
    ['k8s-agent-0/cbr0', 'bridge', '10.244.0.0/24', ['k8s-agent-0', 'default/ubuntu', DNS_A], 'k8s-agent-0'],
    ['k8s-agent-1/cbr0', 'bridge', '10.244.1.0/24', ['k8s-agent-1', DNS_B], 'k8s-agent-1'],
    ['k8s-master-0/cbr0', 'bridge', '10.244.2.0/24', ['k8s-master-0'], 'k8s-master-0'],
  ]);
});

void test('a pod whose node is not modelled is drawn as a plain host; plain hosts keep their kind', () => {
  const c = seedCluster();
  const pod = c.hosts.get(DNS_B)!;
  c.hosts.set(DNS_B, { ...pod, node: 'k8s-agent-9' });
  c.hosts.set('laptop', { id: 'laptop', name: 'laptop', kind: 'host', interfaces: [], routing: { tables: new Map(), policy: [] }, flags: { ipForward: false, brNetfilter: false } });
  const v = toClusterView(c);
  assert.deepEqual(v.hosts.map((h) => [h.id, h.kind]), [['laptop', 'host'], [DNS_B, 'pod']]);
  assert.deepEqual(v.nodes[1].pods, []);
});

void test('the view holds only JSON values (what postMessage and setState keep)', () => {
  const bad: string[] = [];
  const walk = (x: unknown, path: string): void => {
    if (x === null || ['string', 'boolean', 'undefined'].includes(typeof x)) return;
    if (typeof x === 'number') { if (!Number.isFinite(x)) bad.push(path); return; }
    if (Array.isArray(x)) { x.forEach((e, i) => walk(e, `${path}[${i}]`)); return; }
    if (typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      for (const [k, e] of Object.entries(x as Record<string, unknown>)) walk(e, `${path}.${k}`);
      return;
    }
    bad.push(path);
  };
  walk(toClusterView(seedCluster()), 'view');
  assert.deepEqual(bad, []);
});
