/** kubectl tables: padded and collapsed columns, several tables, kind/name prefixes; codes and spans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubectl } from '../../../src/core/parse/kubectl/parse-kubectl';
import { places, text } from './parse-view';

const CASES: { name: string; input: string; tables: { kind: string; columns: string[]; rows: Record<string, string>[] }[]; issues?: string[] }[] = [
  {
    name: 'get nodes -o wide: padded columns whose cells hold spaces',
    input: text(
      'NAME          STATUS   ROLES    AGE    VERSION   INTERNAL-IP       EXTERNAL-IP   OS-IMAGE                        KERNEL-VERSION',
      'node-0        Ready    <none>   180d   v1.22.9   188.185.124.201   <none>        Fedora CoreOS 35.20220227.2.1   5.16.13-200.fc35.x86_64',
    ),
    tables: [{
      kind: 'nodes', columns: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION'],
      rows: [{ NAME: 'node-0', STATUS: 'Ready', ROLES: '<none>', AGE: '180d', VERSION: 'v1.22.9', 'INTERNAL-IP': '188.185.124.201', 'EXTERNAL-IP': '<none>', 'OS-IMAGE': 'Fedora CoreOS 35.20220227.2.1', 'KERNEL-VERSION': '5.16.13-200.fc35.x86_64' }],
    }],
  },
  {
    name: 'the seed: collapsed spaces, three tables after prompts, elisions',
    input: text(
      '# kubectl get nodes', 'NAME STATUS AGE VERSION', 'k8s-agent-XXXXXXXX-0 Ready 4h v1.7.7',
      '# kubectl get pods --namespace=kube-system', 'NAME READY STATUS RESTARTS AGE', 'kube-dns-v20-3003781527-lc299 3/3 Running 0 4h', '...',
      '# kubectl get services --namespace=kube-system', 'NAME CLUSTER-IP EXTERNAL-IP PORT(S) AGE', 'kube-dns 10.0.0.10 <none> 53/UDP,53/TCP 4h',
    ),
    tables: [
      { kind: 'nodes', columns: ['NAME', 'STATUS', 'AGE', 'VERSION'], rows: [{ NAME: 'k8s-agent-XXXXXXXX-0', STATUS: 'Ready', AGE: '4h', VERSION: 'v1.7.7' }] },
      { kind: 'pods', columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], rows: [{ NAME: 'kube-dns-v20-3003781527-lc299', READY: '3/3', STATUS: 'Running', RESTARTS: '0', AGE: '4h' }] },
      { kind: 'services', columns: ['NAME', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], rows: [{ NAME: 'kube-dns', 'CLUSTER-IP': '10.0.0.10', 'EXTERNAL-IP': '<none>', 'PORT(S)': '53/UDP,53/TCP', AGE: '4h' }] },
    ],
    issues: ['pasted-elision@7:1-4'],
  },
  {
    name: 'prose after a collapsed table ends it; "No resources found" is a note',
    input: text('NAME STATUS AGE VERSION', 'node-0 Ready 4h v1.7.7', 'two words here', 'No resources found in default namespace.'),
    tables: [{ kind: 'nodes', columns: ['NAME', 'STATUS', 'AGE', 'VERSION'], rows: [{ NAME: 'node-0', STATUS: 'Ready', AGE: '4h', VERSION: 'v1.7.7' }] }],
    issues: ['kubectl-short-row@3:1-15', 'kubectl-no-resources@4:1-41'],
  },
  {
    name: 'collapsed pods -o wide: two-word headers rejoined; kind/name prefixes',
    input: text(
      'NAMESPACE NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES',
      'default pod/web-1 1/1 Running 0 1m 10.244.1.6 worker <none> <none>',
    ),
    tables: [{
      kind: 'pods', columns: ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
      rows: [{ NAMESPACE: 'default', NAME: 'web-1', READY: '1/1', STATUS: 'Running', RESTARTS: '0', AGE: '1m', IP: '10.244.1.6', NODE: 'worker', 'NOMINATED NODE': '<none>', 'READINESS GATES': '<none>' }],
    }],
  },
  {
    name: 'endpoints truncated by kubectl, a misaligned row, a row outside any table',
    input: text(
      'stray line',
      'NAME                 ENDPOINTS                                                        AGE',
      'nginx-clusterip      10.100.126.79:80,10.100.126.80:80,10.100.126.81:80 + 7 more...   64d',
      'web  10.244.1.6:80  45s',
    ),
    tables: [{
      kind: 'endpoints', columns: ['NAME', 'ENDPOINTS', 'AGE'],
      rows: [{ NAME: 'nginx-clusterip', ENDPOINTS: '10.100.126.79:80,10.100.126.80:80,10.100.126.81:80 + 7 more...', AGE: '64d' }, { NAME: 'web', ENDPOINTS: '10.244.1.6:80', AGE: '45s' }],
    }],
    issues: ['kubectl-line-unrecognised@1:1-11', 'kubectl-endpoints-truncated@3:1-90', 'kubectl-misaligned-row@4:1-24'],
  },
];

for (const c of CASES) {
  void test(`kubectl: ${c.name}`, () => {
    const r = parseKubectl(c.input);
    assert.deepEqual(r.value.tables.map((t) => ({ kind: t.kind, columns: t.columns, rows: t.rows.map((x) => x.cells) })), c.tables);
    assert.deepEqual(places(r.issues), c.issues ?? []);
  });
}

void test('kubectl: the kind/name prefix is kept on the row; row and table spans', () => {
  const input = text('NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE', 'service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   1d');
  const t = parseKubectl(input).value.tables[0];
  assert.equal(t.rows[0].kind, 'service');
  assert.equal(input.slice(t.rows[0].span.start, t.rows[0].span.end), input.split('\n')[1]);
  assert.deepEqual([t.span.line, t.span.endLine], [1, 2]);
});
