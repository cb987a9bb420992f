/** `kube-netsim matrix` on a folder of manifests (real files): text, JSON, HTML, --by pod, symlinks leaving the workspace, exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../src/cli/cli';
import { nodeIO } from '../../src/cli/main';

const REPO = 'test/fixtures/kubernetes/shop-repo';

async function run(args: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  const io = { ...nodeIO(), cwd, out: '', err: '' };
  io.stdout = (t: string) => { io.out += t; };
  io.stderr = (t: string) => { io.err += t; };
  const code = await cli(args, io);
  return { code, out: io.out, err: io.err };
}

test('matrix on a folder of manifests: one line per allowed pair, merged ranges, named ports resolved, then what was skipped', async () => {
  const r = await run(['matrix', REPO]);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  assert.equal(r.out, `backend/checkout[Deployment] => backend/notification[Deployment] : TCP 8081,TCP 30000-30099
backend/checkout[Deployment] => backend/orders-db[StatefulSet] : TCP 5432
backend/notification[Deployment] => backend/orders-db[StatefulSet] : TCP 5432
frontend/web[Deployment] => backend/checkout[Deployment] : TCP 8080
frontend/web[Deployment] => backend/notification[Deployment] : TCP 8081
monitoring/prometheus[StatefulSet] => backend/checkout[Deployment] : TCP 9102
monitoring/prometheus[StatefulSet] => backend/notification[Deployment] : TCP 9102
monitoring/prometheus[StatefulSet] => frontend/web[Deployment] : All Connections
skipped:
  1 × kube-file-skipped (see --json for each)
  1 × kube-kind-skipped (see --json for each)
`);
});

test('matrix --json: the spec fields; a missing pair is denied; ranges per protocol', async () => {
  const r = await run(['matrix', REPO, '--json']);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out) as { version: number; endpoints: { id: string; kind: string }[]; connections: { src: string; dst: string; allowed: Record<string, number[][]>; policies: string[] }[]; issues: { code: string; file: string }[] };
  assert.equal(j.version, 1);
  assert.deepEqual(j.endpoints.map((e) => e.id), [
    'backend/checkout[Deployment]', 'backend/notification[Deployment]', 'backend/orders-db[StatefulSet]', 'frontend/web[Deployment]', 'monitoring/prometheus[StatefulSet]',
  ]);
  const c = j.connections.find((x) => x.src === 'backend/checkout[Deployment]' && x.dst === 'backend/notification[Deployment]')!;
  assert.deepEqual(c.allowed, { TCP: [[8081, 8081], [30000, 30099]], UDP: [], SCTP: [] });
  assert.deepEqual(c.policies, ['backend/default-deny', 'backend/notification-from-checkout']);
  assert.deepEqual(j.connections.find((x) => x.dst === 'frontend/web[Deployment]')!.allowed, { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] });
  assert.equal(j.connections.some((x) => x.src === 'frontend/web[Deployment]' && x.dst === 'monitoring/prometheus[StatefulSet]'), false);
  assert.deepEqual(j.issues.map((i) => [i.code, i.file]), [['kube-file-skipped', `${REPO}/frontend/values.yaml`], ['kube-kind-skipped', `${REPO}/kustomization.yaml`]]);
});

test('matrix --by pod on kubectl output: pods owned through a ReplicaSet by a Deployment count as the Deployment by workload', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-matrix-'));
  writeFileSync(join(dir, 'objects.yaml'), `apiVersion: v1
kind: List
items:
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}, spec: {template: {metadata: {labels: {app: web}}}}}
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata: {name: web-7c9d, namespace: shop, ownerReferences: [{kind: Deployment, name: web, controller: true}]}
  spec: {template: {metadata: {labels: {app: web}}}}
- {apiVersion: v1, kind: Pod, metadata: {name: web-7c9d-a, namespace: shop, labels: {app: web}, ownerReferences: [{kind: ReplicaSet, name: web-7c9d, controller: true}]}, status: {podIP: 10.244.1.5}}
- {apiVersion: v1, kind: Pod, metadata: {name: web-7c9d-b, namespace: shop, labels: {app: web}, ownerReferences: [{kind: ReplicaSet, name: web-7c9d, controller: true}]}, status: {podIP: 10.244.2.5}}
- {apiVersion: v1, kind: Pod, metadata: {name: debug, namespace: shop, labels: {app: debug}}, status: {podIP: 10.244.1.9}}
- {apiVersion: v1, kind: Pod, metadata: {name: done, namespace: shop}, status: {phase: Succeeded}}
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: web-from-debug, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: web}}
    ingress: [{from: [{ipBlock: {cidr: 10.244.1.0/24}}], ports: [{protocol: UDP, port: 53}]}]
`);
  const w = await run(['matrix', join(dir, 'objects.yaml')]);
  assert.equal(w.out.split('\n').filter((l) => l.includes('=>')).join('\n'), [
    'shop/debug[Pod] => shop/web[Deployment] : UDP 53',
    'shop/web[Deployment] => shop/debug[Pod] : All Connections',
  ].join('\n'));
  assert.match(w.out, /\n {2}shop\/done\[Pod\]: phase Succeeded: the pod has finished\n/);
  const p = await run(['matrix', join(dir, 'objects.yaml'), '--by', 'pod']);
  assert.deepEqual(p.out.split('\n').filter((l) => l.includes('=>')), [
    'shop/debug[Pod] => shop/web-7c9d-a[Pod] : UDP 53',
    'shop/debug[Pod] => shop/web-7c9d-b[Pod] : UDP 53',
    'shop/web-7c9d-a[Pod] => shop/debug[Pod] : All Connections',
    // a's address is inside the ipBlock, b's is not
    'shop/web-7c9d-a[Pod] => shop/web-7c9d-b[Pod] : UDP 53',
    'shop/web-7c9d-b[Pod] => shop/debug[Pod] : All Connections',
  ]);
});

test('matrix --html: a grid with a cell per pair, tooltips with ports and policies; light and dark', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-matrix-'));
  const r = await run(['matrix', REPO, '--html', join(dir, 'm.html')]);
  assert.equal(r.code, 0);
  const html = readFileSync(join(dir, 'm.html'), 'utf8');
  assert.equal((html.match(/<td /g) ?? []).length, 25);
  assert.equal((html.match(/class="all"/g) ?? []).length, 1);
  assert.equal((html.match(/class="some"/g) ?? []).length, 7);
  assert.match(html, /title="backend\/checkout\[Deployment\] → backend\/notification\[Deployment\]: TCP 8081,TCP 30000-30099\nallowed by: backend\/default-deny, backend\/notification-from-checkout"/);
  assert.match(html, /prefers-color-scheme: dark/);
  assert.match(html, /Content-Security-Policy/);
});

test('matrix: a symbolic link leaving the workspace is not followed, with a warning; a missing input is exit 2', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'netsim-ws-'));
  const outside = mkdtempSync(join(tmpdir(), 'netsim-outside-'));
  writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: leaked}\n');
  mkdirSync(join(ws, 'manifests'));
  writeFileSync(join(ws, 'manifests', 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: kept}\n');
  symlinkSync(outside, join(ws, 'manifests', 'elsewhere'));
  const r = await run(['matrix', 'manifests', '--json'], ws);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out) as { issues: { code: string; severity: string; message: string }[] };
  assert.deepEqual(j.issues.map((i) => [i.code, i.severity, i.message]), [['kube-source-outside', 'warning', 'manifests/elsewhere is a symbolic link leaving the workspace: not followed']]);
  const missing = await run(['matrix', 'nope'], ws);
  assert.equal(missing.code, 2);
  assert.equal(missing.err, 'nope:1:1: error: nope: no such file\n');
  assert.equal((await run(['matrix'], ws)).code, 2);
  assert.equal((await run(['matrix', 'manifests', '--by', 'node'], ws)).code, 2);
});
