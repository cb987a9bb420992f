/** Lint for NetworkPolicies on the small cluster of test/core/policy/cluster.ts: each finding's code and line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicies } from '../../../src/core/lint/policy-checks';
import { objectsOf, PODS } from '../policy/cluster';

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: backend}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: nobody, namespace: backend}
spec:
  podSelector: {matchLabels: {app: gone}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: typo}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: grpc, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - ports:
    - {port: grpc}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-db, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: db}}
    ports:
    - {port: 8080}
`;

test('policy lint: selects nothing, peer matches nothing, undeclared named port, DNS cut off (with a fix), egress denying an allowed ingress', () => {
  const issues = lintPolicies(objectsOf(PODS, POLICIES));
  assert.deepEqual(issues.map((i) => `${i.file}:${i.span.line} ${i.code}`), [
    'f1.yaml:5 policy-blocks-dns',
    'f1.yaml:12 policy-selects-nothing',
    'f1.yaml:14 policy-peer-matches-nothing',
    'f1.yaml:23 policy-named-port-undeclared',
    'f1.yaml:32 policy-egress-denies-allowed-ingress',
  ]);
  const dns = issues[0];
  assert.match(dns.message, /backend\/default-deny isolates egress of backend\/api, backend\/db/);
  assert.equal(dns.fixes?.[0].edits[0].line, 7);
  assert.match(dns.fixes![0].edits[0].newText, /- \{protocol: UDP, port: 53\}\n {4}- \{protocol: TCP, port: 53\}\n$/);
});

test('policy lint: applying the DNS quick fix clears the DNS finding', () => {
  const first = lintPolicies(objectsOf(PODS, POLICIES)).find((i) => i.code === 'policy-blocks-dns')!;
  const e = first.fixes![0].edits[0];
  const lines = POLICIES.split('\n');
  lines.splice(e.line - 1, 0, e.newText.replace(/\n$/, ''));
  const after = lintPolicies(objectsOf(PODS, lines.join('\n')));
  assert.deepEqual(after.filter((i) => i.code === 'policy-blocks-dns'), []);
});
