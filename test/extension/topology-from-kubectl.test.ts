import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseKubectl } from '../../src/core/parse/kubectl/parse-kubectl';
import { parseTopology } from '../../src/core/parse/topology/parse-topology';
import { topologyFromKubectl } from '../../src/extension/logic/topology-from-kubectl';
import { formatIPv4 } from '../../src/core/net/ipv4';
import { corpus } from './fixture';

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
  assert.deepEqual(web.selector, { app: 'web' });
  assert.equal(web.type, 'NodePort');
  assert.equal(web.ports[0].nodePort, 30080);
});
