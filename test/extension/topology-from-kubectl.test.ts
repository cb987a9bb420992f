import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseKubectl } from '../../src/core/parse/kubectl/parse-kubectl';
import { parseTopology } from '../../src/core/parse/topology/parse-topology';
import { topologyFromKubectl } from '../../src/extension/logic/topology-from-kubectl';
import { formatIPv4 } from '../../src/core/net/ipv4';
import { corpus } from './fixture';
import { loadCluster } from '../../src/core/build/load';
import { lintCluster } from '../../src/core/lint/index';
import { asTopologyPath, freeTopologyName } from '../../src/extension/logic/topology-file-name';

const KUBECTL = [
  'kubectl/cms-daq-workshop.kubectl-get-nodes-o-wide.txt',
  'kubectl/cms-daq-workshop-nginx.kubectl-get-pods-o-wide.txt',
  'kubectl/k8s-ipvs-README-check-rules.kubectl-get-svc-all-namespaces.txt',
].map(corpus).join('\n');

void test('nodes, pods and Services from real kubectl output read back as a topology without issues', () => {
  const r = topologyFromKubectl(parseKubectl(KUBECTL).value, 'cms-daq');
  assert.deepEqual([r.nodes, r.pods, r.services], [4, 10, 2]);
  const t = parseTopology(r.text, 'cms-daq.netsim.yaml', { read: () => ({ error: 'none' }) });
  assert.deepEqual(t.issues.filter((i) => i.severity !== 'info').map((i) => i.code), []);
  assert.equal(t.value.name, 'cms-daq');
  const node1 = t.value.nodes.find((n) => n.name === 'cms-daq-workshop-gml7jxg5oxyf-node-1')!;
  assert.equal(formatIPv4(node1.ip), '188.185.124.119');
  assert.equal(node1.podCIDR && `${formatIPv4(node1.podCIDR.addr)}/${node1.podCIDR.len}`, '10.100.126.0/24');
  // The master runs no listed pod: no CIDR is guessed for it.
  assert.equal(t.value.nodes.find((n) => n.name.endsWith('master-0'))!.podCIDR, undefined);
  const dns = t.value.services.find((s) => s.name === 'kube-dns')!;
  assert.equal(dns.namespace, 'kube-system');
  assert.deepEqual(dns.ports.map((p) => [p.port, p.protocol]), [[53, 'UDP'], [53, 'TCP']]);
  assert.equal(t.value.pods[0].namespace, 'default');
  assert.match(r.text, /podCIDR: 10\.100\.126\.0\/24 # guessed/);
});

void test('endpoints from kubectl get ep are listed, and an elided list says so', () => {
  const text = [
    'NAME              TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE   SELECTOR',
    'nginx-clusterip   ClusterIP   10.254.10.20   <none>        80/TCP         64d   app=nginx',
    'web               NodePort    10.254.10.21   <none>        80:30080/TCP   64d   app=web',
    '',
    corpus('kubectl/cms-daq-workshop-nginx.kubectl-get-ep.txt'),
  ].join('\n');
  const r = topologyFromKubectl(parseKubectl(text).value, 'x');
  const t = parseTopology(r.text, 'x.netsim.yaml', { read: () => ({ error: 'none' }) });
  const ng = t.value.services.find((s) => s.name === 'nginx-clusterip')!;
  assert.deepEqual(ng.endpoints?.map(formatIPv4), ['10.100.126.79', '10.100.126.80', '10.100.126.81']);
  assert.match(r.text, /kubectl left out 7 more/);
  const web = t.value.services.find((s) => s.name === 'web')!;
  // No pod labels given: a selector would match nothing, so a comment carries it instead.
  assert.equal(web.selector, undefined);
  assert.match(r.text, /# selector app=web: paste/);
  assert.equal(web.type, 'NodePort');
  assert.equal(web.ports[0].nodePort, 30080);
});

const NODES = [
  'NAME          STATUS   ROLES   AGE   VERSION   INTERNAL-IP   EXTERNAL-IP',
  'k8s-agent-0   Ready    agent   5d    v1.7.7    10.240.0.4    <none>',
  'k8s-agent-1   Ready    agent   5d    v1.7.7    10.240.0.5    <none>',
].join('\n');
const SVCS = [
  'NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE   SELECTOR',
  'default       kubernetes   ClusterIP   10.0.0.1     <none>        443/TCP         5d    <none>',
  'kube-system   kube-dns     ClusterIP   10.0.0.10    <none>        53/UDP,53/TCP   5d    k8s-app=kube-dns',
].join('\n');
const PODS_LABELLED = [
  'NAMESPACE     NAME                            READY   STATUS    RESTARTS   AGE   IP           NODE          LABELS',
  'default       ubuntu                          1/1     Running   0          1d    10.244.0.6   k8s-agent-0   run=ubuntu',
  'kube-system   kube-dns-v20-3003781527-lc299   3/3     Running   0          5d    10.244.0.2   k8s-agent-0   k8s-app=kube-dns,pod-template-hash=3003781527',
  'kube-system   kube-dns-v20-3003781527-njvzk   3/3     Running   0          5d    10.244.1.2   k8s-agent-1   k8s-app=kube-dns,pod-template-hash=3003781527',
].join('\n');
const PODS_PLAIN = PODS_LABELLED.split('\n').map((l) => l.replace(/\s+(LABELS|\S+=\S+)$/, '')).join('\n');

function lintText(text: string) {
  const loaded = loadCluster(text, 'new.netsim.yaml', { read: () => ({ error: 'none' }) });
  return [...loaded.issues, ...lintCluster(loaded)];
}

void test('pods listed with --show-labels keep their labels and the Service its selector; the new file lints clean but for info', () => {
  const r = topologyFromKubectl(parseKubectl([NODES, PODS_LABELLED, SVCS].join('\n\n')).value, 'new');
  const t = parseTopology(r.text, 'new.netsim.yaml', { read: () => ({ error: 'none' }) }).value;
  assert.deepEqual(t.pods.find((p) => p.name.endsWith('lc299'))!.labels, { 'k8s-app': 'kube-dns', 'pod-template-hash': '3003781527' });
  assert.deepEqual(t.services.find((s) => s.name === 'kube-dns')!.selector, { 'k8s-app': 'kube-dns' });
  assert.deepEqual(lintText(r.text).filter((i) => i.severity !== 'info').map((i) => `${i.code}: ${i.message}`), []);
});

void test('without pod labels no selector is written (a comment says what to paste); a router placeholder says what its table is', () => {
  const r = topologyFromKubectl(parseKubectl([NODES, PODS_PLAIN, SVCS].join('\n\n')).value, 'new');
  const t = parseTopology(r.text, 'new.netsim.yaml', { read: () => ({ error: 'none' }) }).value;
  assert.equal(t.services.find((s) => s.name === 'kube-dns')!.selector, undefined);
  assert.match(r.text, /# selector k8s-app=kube-dns: paste kubectl get pods .*--show-labels/);
  assert.deepEqual(t.routers.map((x) => x.name), ['gateway']);
  assert.match(r.text, /# .*replace them with its real table,\n\s*# pasted as `routes: \|`/);
  const issues = lintText(r.text);
  assert.deepEqual(issues.filter((i) => i.severity !== 'info').map((i) => `${i.code}: ${i.message}`), []);
  assert.ok(issues.some((i) => i.code === 'derived-network-prefix' && /router gateway/.test(i.message)), 'the guessed router address is stated as info');
});

void test('a new topology\'s file name: a free default, and .netsim.yaml exactly once', () => {
  assert.equal(freeTopologyName(() => false), 'cluster.netsim.yaml');
  const taken = new Set(['cluster.netsim.yaml', 'cluster-2.netsim.yaml']);
  assert.equal(freeTopologyName((n) => taken.has(n)), 'cluster-3.netsim.yaml');
  assert.equal(asTopologyPath('/w/cluster.netsim.yaml.netsim.yaml'), '/w/cluster.netsim.yaml');
  assert.equal(asTopologyPath('/w/cluster.netsim.yaml'), '/w/cluster.netsim.yaml');
  assert.equal(asTopologyPath('/w/prod.yaml'), '/w/prod.netsim.yaml');
  assert.equal(asTopologyPath('/w/prod'), '/w/prod.netsim.yaml');
});
