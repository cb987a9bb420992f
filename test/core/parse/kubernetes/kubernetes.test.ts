/** Kubernetes objects: Lists, single objects, multi-document manifests, JSON; every kind the spec lists; bad input as positioned issues. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubernetes } from '../../../../src/core/parse/kubernetes/parse-kubernetes';

const codes = (r: ReturnType<typeof parseKubernetes>): string[] => r.issues.map((i) => `${i.span.line}:${i.span.column} ${i.code}`);

const LIST = `apiVersion: v1
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: node-1
  spec:
    podCIDR: 10.244.1.0/24
    podCIDRs: [10.244.1.0/24, fd00:1::/64]
  status:
    addresses:
    - {type: Hostname, address: node-1}
    - {type: InternalIP, address: fd00::5}
    - {type: InternalIP, address: 10.240.0.5}
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-6d4cf56db6-abcde
    namespace: shop
    labels: {app: web, pod-template-hash: 6d4cf56db6}
    ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-6d4cf56db6, controller: true, uid: 1}
  spec:
    nodeName: node-1
    containers:
    - name: web
      ports:
      - {containerPort: 8080, name: http}
      - {containerPort: 53, name: dns, protocol: UDP}
    initContainers:
    - {name: sidecar, restartPolicy: Always, ports: [{containerPort: 15090, name: envoy}]}
    - {name: init, ports: [{containerPort: 1, name: once}]}
  status:
    phase: Running
    podIP: 10.244.1.7
    podIPs: [{ip: 10.244.1.7}, {ip: "fd00:1::7"}]
    conditions:
    - {type: Ready, status: "False"}
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop}
  spec:
    type: LoadBalancer
    clusterIP: 10.96.0.20
    clusterIPs: [10.96.0.20]
    selector: {app: web}
    ports:
    - {name: http, port: 80, targetPort: http, nodePort: 30080}
    - {name: dns, port: 53, protocol: UDP}
    externalTrafficPolicy: Local
    internalTrafficPolicy: Cluster
    sessionAffinity: ClientIP
    sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
    externalIPs: [192.0.2.10]
  status:
    loadBalancer:
      ingress: [{ip: 203.0.113.7}]
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  metadata:
    name: web-abc12
    namespace: shop
    labels: {kubernetes.io/service-name: web}
  addressType: IPv4
  endpoints:
  - addresses: [10.244.1.7]
    conditions: {ready: false, serving: true, terminating: true}
    nodeName: node-1
    targetRef: {kind: Pod, name: web-6d4cf56db6-abcde, namespace: shop}
  - addresses: [10.244.2.9]
  ports:
  - {name: http, port: 8080, protocol: TCP}
- apiVersion: v1
  kind: Namespace
  metadata: {name: shop, labels: {env: prod}}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
  spec:
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: web, ports: [{containerPort: 8080, name: http}]}]}
- apiVersion: batch/v1
  kind: CronJob
  metadata: {name: report, namespace: shop}
  spec:
    jobTemplate:
      spec:
        template:
          metadata: {labels: {app: report}}
          spec: {containers: [{name: r}]}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings, namespace: shop}
kind: List
metadata:
  resourceVersion: ""
`;

test('a kubectl List: every kind maps into the model, with its span', () => {
  const r = parseKubernetes(LIST, 'cluster.yaml');
  assert.deepEqual(codes(r), ['93:9 kube-kind-skipped']);
  const o = r.value;
  assert.deepEqual(o.nodes.map((n) => [n.name, n.internalIP, n.podCIDRs, n.origin.line, n.origin.endLine]), [['node-1', '10.240.0.5', ['10.244.1.0/24', 'fd00:1::/64'], 3, 14]]);
  const pod = o.pods[0];
  assert.deepEqual([pod.namespace, pod.name, pod.nodeName, pod.ips, pod.ready, pod.owner, pod.origin.line, pod.origin.file],
    ['shop', 'web-6d4cf56db6-abcde', 'node-1', ['10.244.1.7', 'fd00:1::7'], false, { kind: 'ReplicaSet', name: 'web-6d4cf56db6' }, 15, 'cluster.yaml']);
  assert.deepEqual(pod.ports, [
    { name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'envoy', containerPort: 15090, protocol: 'TCP' },
  ]);
  const svc = o.services[0];
  assert.deepEqual(
    [svc.type, svc.clusterIPs, svc.selector, svc.externalTrafficPolicy, svc.internalTrafficPolicy, svc.sessionAffinity, svc.affinityTimeoutSeconds, svc.externalIPs, svc.loadBalancerIPs],
    ['LoadBalancer', ['10.96.0.20'], { app: 'web' }, 'Local', 'Cluster', 'ClientIP', 600, ['192.0.2.10'], ['203.0.113.7']],
  );
  assert.deepEqual(svc.ports, [
    { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }, { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
  ]);
  const slice = o.endpointSlices[0];
  assert.equal(slice.service, 'web');
  assert.deepEqual(slice.endpoints, [
    { addresses: ['10.244.1.7'], ready: false, serving: true, terminating: true, nodeName: 'node-1', pod: 'shop/web-6d4cf56db6-abcde' },
    { addresses: ['10.244.2.9'], ready: true, serving: true, terminating: false },
  ]);
  assert.deepEqual(o.namespaces.map((n) => n.labels), [{ env: 'prod', 'kubernetes.io/metadata.name': 'shop' }]);
  assert.deepEqual(o.workloads.map((w) => [w.kind, w.name, w.podLabels, w.ports.length]), [['Deployment', 'web', { app: 'web' }, 1], ['CronJob', 'report', { app: 'report' }, 0]]);
});

test('the same List as JSON reads the same objects; spans point into the JSON', () => {
  const yamlR = parseKubernetes(LIST, 'c.yaml');
  const json = JSON.stringify(JSON.parse(JSON.stringify(yamlToPlain(LIST))), null, 2);
  const r = parseKubernetes(json, 'c.json');
  const strip = (o: unknown): unknown => JSON.parse(JSON.stringify(o, (k, v: unknown) => (k === 'origin' || k === 'podSelectorOrigin' ? undefined : v)));
  assert.deepEqual(strip(r.value), strip(yamlR.value));
  assert.equal(json.split('\n')[r.value.pods[0].origin.line - 1].trim(), '{');
  assert.deepEqual(r.issues.map((i) => i.code), ['kube-kind-skipped']);
});

function yamlToPlain(text: string): unknown {
  // the yaml package is the reference reader for the conversion, not the code under test
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('yaml') as typeof import('yaml')).parse(text);
}

test('multi-document manifests: namespace default, Endpoints subsets, comments and empty documents', () => {
  const r = parseKubernetes(`# rendered by helm template
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  ports: [{port: 5432}]
---
---
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: data}
subsets:
- addresses: [{ip: 10.244.2.6, nodeName: n2, targetRef: {kind: Pod, name: db-0}}]
  notReadyAddresses: [{ip: 10.244.2.7}]
  ports: [{port: 5432, name: pg}]
`, 'm.yaml');
  assert.deepEqual(codes(r), []);
  assert.deepEqual(r.value.services.map((s) => [s.namespace, s.name, s.headless, s.clusterIPs, s.selector]), [['default', 'db', true, [], undefined]]);
  assert.deepEqual(r.value.endpointSlices.map((s) => [s.namespace, s.service, s.endpoints.map((e) => [e.addresses[0], e.ready, e.pod]), s.ports, s.origin.line]), [
    ['data', 'db', [['10.244.2.6', true, 'data/db-0'], ['10.244.2.7', false, undefined]], [{ port: 5432, protocol: 'TCP', name: 'pg' }], 11],
  ]);
});

test('bad input: positioned issues, never a throw', () => {
  const cases: [string, string, string[]][] = [
    ['an object with no kind', 'apiVersion: v1\nmetadata: {name: x}\n', ['1:1 kube-missing-kind']],
    ['no name', 'apiVersion: v1\nkind: Pod\nmetadata: {}\n', ['3:1 kube-missing-name']],
    ['a selector with an unknown operator', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector:
    matchExpressions:
    - {key: app, operator: Equals, values: [a]}
`, ['7:28 kube-bad-selector-operator', '2:7 kube-policy-refused']],
    ['a port name with an endPort', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector: {}
  ingress:
  - ports:
    - port: http
      endPort: 9000
`, ['9:7 kube-endport-without-number', '2:7 kube-policy-refused']],
    ['an ipBlock and a selector in one peer; except outside the cidr', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector: {}
  egress:
  - to:
    - ipBlock: {cidr: 10.0.0.0/8}
      podSelector: {}
    - ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}
`, ['8:7 kube-bad-peer', '10:44 kube-bad-cidr', '2:7 kube-policy-refused']],
    ['In without values; a port out of range; endPort below port', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p}
spec:
  podSelector: {matchExpressions: [{key: a, operator: In}]}
  ingress:
  - ports: [{port: 70000}, {port: 90, endPort: 80}]
`, ['5:55 kube-bad-selector-values', '7:20 kube-bad-port', '7:48 kube-bad-port', '2:7 kube-policy-refused']],
    ['YAML syntax error in one document; the next still read', 'kind: Pod\nmetadata: {name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n', ['2:19 kube-yaml-syntax']],
    ['truncated JSON', '{"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "x"}}, ', ['1:72 kube-json-syntax']],
    ['a scalar document', 'just some text\n', ['1:1 kube-not-an-object']],
    ['wrong types', 'kind: Pod\nmetadata: {name: a, labels: [x]}\nspec: {containers: [{ports: [{containerPort: high}]}]}\n', ['2:29 kube-wrong-type', '3:46 kube-bad-value']],
    ['a Calico NetworkPolicy is not the Kubernetes one', 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {selector: all()}\n', ['1:13 kube-kind-skipped']],
    ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`, ['1:202 kube-too-deep']],
    ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nkind: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`, ['2:16 kube-too-deep']],
  ];
  for (const [name, text, want] of cases) assert.deepEqual(codes(parseKubernetes(text, 'bad.yaml')), want, name);
});
