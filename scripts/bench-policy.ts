// NetworkPolicy benchmark (run by `npm run bench`, or alone: `node --import tsx scripts/bench-policy.ts`):
// 1. `matrix` on 1,000 workloads × 500 policies, from generated manifests (read + compute);
// 2. reading a whole cluster's objects at the published scale limits (5,000 nodes,
//    150,000 pods, 10,000 Services with their EndpointSlices) as `kubectl get -A -o json`
//    prints them, and the pods' matrix subjects built from them.
// Writes its section of BENCHMARKS.md (after the marker that `npm run bench` keeps).
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseKubernetes } from '../src/core/parse/kubernetes/parse-kubernetes';
import { matrixOf } from '../src/core/policy/matrix';
import { podSubjects, policyWorld } from '../src/core/policy/world';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

function manifests(workloads: number, policies: number): string {
  const docs: string[] = [];
  const nss = 50;
  for (let n = 0; n < nss; n++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns${n}, labels: {team: t${n % 10}, env: ${n % 2 ? 'prod' : 'dev'}}}`);
  for (let i = 0; i < workloads; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: w${i}, namespace: ns${i % nss}}
spec:
  template:
    metadata: {labels: {app: w${i}, tier: tier${i % 5}, team: t${i % 10}}}
    spec:
      containers:
      - name: c
        ports: [{name: http, containerPort: ${8000 + (i % 50)}}, {name: metrics, containerPort: 9100}, {name: dns, containerPort: 53, protocol: UDP}]`);
  }
  for (let p = 0; p < policies; p++) {
    const ns = p % nss;
    const sel = p % 3 === 0 ? '{}' : p % 3 === 1 ? `{matchLabels: {tier: tier${p % 5}}}` : `{matchLabels: {app: w${(p * 7) % workloads}}}`;
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p${p}, namespace: ns${ns}}
spec:
  podSelector: ${sel}
  policyTypes: [Ingress${p % 4 === 0 ? ', Egress' : ''}]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: t${p % 10}}}
      podSelector: {matchExpressions: [{key: tier, operator: In, values: [tier${p % 5}, tier${(p + 1) % 5}]}]}
    - podSelector: {matchLabels: {team: t${(p + 3) % 10}}}
    ports: [{port: http}, {port: ${30000 + p}, endPort: ${30010 + p}}, {protocol: UDP, port: 53}]
  - from:
    - namespaceSelector: {matchLabels: {env: prod}}
    ports: [{port: metrics}]${p % 4 === 0 ? `
  egress:
  - to:
    - namespaceSelector: {}
      podSelector: {matchLabels: {tier: tier${p % 5}}}
  - ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]` : ''}`);
  }
  return docs.join('\n---\n');
}

function cluster(nodes: number, pods: number, services: number): string {
  const items: unknown[] = [];
  for (let n = 0; n < nodes; n++) {
    items.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}` } },
      spec: { podCIDR: `10.${128 + (n >> 8)}.${n & 255}.0/24`, podCIDRs: [`10.${128 + (n >> 8)}.${n & 255}.0/24`] },
      status: { addresses: [{ type: 'InternalIP', address: `172.16.${n >> 8}.${n & 255}` }, { type: 'Hostname', address: `node-${n}` }] } });
  }
  const ipOf = (p: number): string => { const n = p % nodes; const k = Math.floor(p / nodes); return `10.${128 + (n >> 8)}.${n & 255}.${2 + k}`; };
  for (let p = 0; p < pods; p++) {
    const app = p % services;
    items.push({ apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `app-${app}-7c9d8f-${p}`, namespace: `ns-${app % 100}`, labels: { app: `app-${app}`, 'pod-template-hash': '7c9d8f' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `app-${app}-7c9d8f`, uid: '5f0c6a8e-0000-4000-8000-000000000000', controller: true, blockOwnerDeletion: true }] },
      spec: { nodeName: `node-${p % nodes}`, containers: [{ name: 'main', image: 'registry.k8s.io/e2e-test-images/agnhost:2.45', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
      status: { phase: 'Running', podIP: ipOf(p), podIPs: [{ ip: ipOf(p) }], conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  for (let s = 0; s < services; s++) {
    items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${s}`, namespace: `ns-${s % 100}` },
      spec: { type: 'ClusterIP', clusterIP: `10.96.${s >> 8}.${s & 255}`, clusterIPs: [`10.96.${s >> 8}.${s & 255}`], selector: { app: `app-${s}` }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } });
    const eps: unknown[] = [];
    for (let p = s; p < pods; p += services) eps.push({ addresses: [ipOf(p)], conditions: { ready: true, serving: true, terminating: false }, nodeName: `node-${p % nodes}`, targetRef: { kind: 'Pod', name: `app-${s}-7c9d8f-${p}`, namespace: `ns-${s % 100}` } });
    items.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `app-${s}-abcde`, namespace: `ns-${s % 100}`, labels: { 'kubernetes.io/service-name': `app-${s}` } },
      addressType: 'IPv4', endpoints: eps, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, 4);
}

const W = 1000;
const P = 500;
const text = manifests(W, P);
let t0 = process.hrtime.bigint();
const m1 = parseKubernetes(text, 'bench.yaml');
const readMs = ms(t0);
t0 = process.hrtime.bigint();
const mx = matrixOf(m1.value, 'workload');
const matrixMs = ms(t0);
const pairs = mx.connections.length;
const allowedPorts = mx.connections.reduce((n, c) => n + c.allowed.TCP.length + c.allowed.UDP.length + c.allowed.SCTP.length, 0);

if (process.argv[2] === '--matrix-only') {
  console.log({ readMs, matrixMs, pairs, allowedPorts });
  process.exit(0);
}
const big = cluster(5000, 150000, 10000);
t0 = process.hrtime.bigint();
const r = parseKubernetes(big, 'cluster.json');
const loadMs = ms(t0);
t0 = process.hrtime.bigint();
const subjects = podSubjects(r.value);
policyWorld(r.value, subjects);
const subjectsMs = ms(t0);
const rssMB = process.memoryUsage().rss / 1e6;
const o = r.value;

const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const load = loadavg()[0].toFixed(1);
const section = `## NetworkPolicy matrix and a whole cluster's objects

\`scripts/bench-policy.ts\` (part of \`npm run bench\`), ${now}, same machine, 1-minute load average ${load} at the end:

- matrix: generated manifests of ${W} Deployments in 50 namespaces and ${P} NetworkPolicies
  (selectors by label and expression, namespace selectors, named ports, \`endPort\` ranges, a
  quarter also isolating egress), ${(text.length / 1e6).toFixed(1)} MB of YAML, ${m1.issues.length} issues.
  Read ${readMs.toFixed(0)} ms; matrix of ${W} × ${W - 1} ordered pairs ${matrixMs.toFixed(0)} ms
  (${pairs} allowed pairs, ${allowedPorts} port ranges). Aim: matrix under 2 s — ${matrixMs < 2000 ? 'met' : 'not met'}.
- whole cluster: a \`kubectl get nodes,pods,services,endpointslices -A -o json\` List of
  ${o.nodes.length} nodes, ${o.pods.length} pods, ${o.services.length} Services and ${o.endpointSlices.length} EndpointSlices,
  ${(big.length / 1e6).toFixed(0)} MB: read in ${loadMs.toFixed(0)} ms (${(big.length / 1e6 / (loadMs / 1000)).toFixed(1)} MB/s), ${r.issues.length} issues;
  pods as policy subjects ${subjectsMs.toFixed(0)} ms; RSS after both ${rssMB.toFixed(0)} MB.
  YAML is read through the \`yaml\` package item by item and is much slower than JSON
  (test/bad-input/kubernetes-big-input.test.ts prints its time for a 50 MB List).
`;
console.log(section);
const MARKER = '<!-- measured by other scripts: kept by npm run bench -->';
let md = readFileSync('BENCHMARKS.md', 'utf8');
if (!md.includes(MARKER)) md = `${md.trimEnd()}\n\n${MARKER}\n`;
const start = md.indexOf('## NetworkPolicy matrix and a whole cluster');
if (start >= 0) {
  const next = md.indexOf('\n## ', start + 3);
  md = md.slice(0, start) + (next >= 0 ? md.slice(next + 1) : '');
}
writeFileSync('BENCHMARKS.md', `${md.trimEnd()}\n\n${section}`);
