/**
 * A 50 MB `kubectl get pods -A -o yaml` List, built in memory: it must be read
 * without error, and a broken item must cost that item only, with its line.
 * The time is printed, not asserted (speed is in BENCHMARKS.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubernetes } from '../../src/core/parse/kubernetes/parse-kubernetes';

test('kubernetes: a 50 MB kubectl List is read item by item; a broken item in the middle costs that item only', () => {
  const item = (i: number): string => `- apiVersion: v1
  kind: Pod
  metadata:
    name: pod-${i}
    namespace: ns-${i % 7}
    labels: {app: a${i % 100}}
    annotations: {note: "${'x'.repeat(300)}"}
  spec:
    nodeName: node-${i % 50}
    containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]
  status: {podIP: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}}
`;
  const parts = ['apiVersion: v1\nkind: List\nitems:\n'];
  let size = parts[0].length;
  let n = 0;
  while (size < 50e6) { const s = item(n++); parts.push(s); size += s.length; }
  const broken = Math.floor(n / 2);
  parts[1 + broken] = parts[1 + broken].replace('metadata:', 'metadata: {');
  const t0 = Date.now();
  const r = parseKubernetes(parts.join(''), 'big.yaml');
  console.log(`kubernetes List of ${(size / 1e6).toFixed(0)} MB, ${n} pods: ${Date.now() - t0} ms`);
  const first = 3 + broken * 11 + 1;
  assert.ok(r.issues.length > 0);
  assert.deepEqual(r.issues.filter((i) => i.code !== 'kube-yaml-syntax' || i.span.line < first || i.span.line >= first + 11), []);
  assert.equal(r.value.pods.length, n - 1);
  assert.equal(r.value.pods[n - 2].origin.line, 3 + (n - 1) * 11 + 1);
});
