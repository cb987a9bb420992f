/**
 * The topology's link-layer fields: a node's `neighbours:` and `fdb:` sources
 * (parsed, placed in the file), and `spec.network` with each plugin's defaults
 * and its wrong values reported where they are written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTopology } from '../../../src/core/parse/topology/parse-topology';
import { formatIPv4 } from '../../../src/core/net/ipv4';

const HEAD = 'apiVersion: kube-netsim/v1\nkind: Cluster\nmetadata: {name: t}\nspec:\n';
const refuse = { read: () => ({ error: 'no files here' }) };
const parse = (body: string, files: Record<string, string> = {}) =>
  parseTopology(HEAD + body, 'c.netsim.yaml', { read: (p: string) => (p in files ? { text: files[p] } : refuse.read()) });
const where = (r: ReturnType<typeof parse>) => r.issues.map((i) => [i.code, i.span.line, i.span.column] as const);

void test('neighbours: and fdb: on a node are parsed; their issues land at the file line', () => {
  const r = parse([
    '  nodes:',
    '    - name: n0',
    '      ip: 10.240.0.4',
    '      neighbours: |',
    '        10.244.1.0 dev flannel.1 lladdr 56:8a:7d:2b:ee:01 PERMANENT',
    '        10.244.2.0 dev flannel.1 lladdr 56:8a:7d:2b PERMANENT',
    '      fdb: {file: n0/fdb.txt}',
    '',
  ].join('\n'), { 'n0/fdb.txt': '56:8a:7d:2b:ee:01 dev flannel.1 dst 10.240.0.5 self permanent\n' });
  assert.deepEqual(where(r), [['neigh-bad-lladdr', 10, 41]]);
  const n = r.value.nodes[0];
  assert.equal(n.neighbours?.value.neighbours.length, 2);
  assert.equal(n.neighbours?.value.neighbours[0].lladdr, '56:8a:7d:2b:ee:01');
  assert.equal(formatIPv4(n.fdb!.value.entries[0].dst!), '10.240.0.5');
  assert.equal(n.fdb?.source.placement.file, 'n0/fdb.txt');
});

void test('a route table pasted under neighbours: is a format warning', () => {
  const r = parse('  nodes:\n    - name: n0\n      ip: 10.240.0.4\n      neighbours: |\n        default via 10.240.0.1 dev eth0\n');
  assert.deepEqual(where(r).map((w) => w[0]), ['topology-source-format-mismatch', 'neigh-line-other-format']);
});

void test('spec.network: defaults per plugin, and bad values at their place', async (t) => {
  const cases: { body: string; want: unknown; issues?: [string, number, number][] }[] = [
    { body: '  network: {plugin: flannel}\n', want: { plugin: 'flannel', backend: 'vxlan', vni: 1, port: 8472, mtu: 1500 } },
    { body: '  network: {plugin: flannel, backend: host-gw, mtu: 9001}\n', want: { plugin: 'flannel', backend: 'host-gw', vni: 1, port: 8472, mtu: 9001 } },
    { body: '  network: {plugin: calico}\n', want: { plugin: 'calico', backend: 'ipip', vni: 4096, port: 4789, mtu: 1500 } },
    { body: '  network: {plugin: calico, backend: vxlan, vni: 7, port: 4790}\n', want: { plugin: 'calico', backend: 'vxlan', vni: 7, port: 4790, mtu: 1500 } },
    { body: '  network: {}\n', want: { plugin: 'kubenet', backend: 'none', vni: 1, port: 8472, mtu: 1500 } },
    { body: '  network: {plugin: weave}\n', want: { plugin: 'kubenet', backend: 'none', vni: 1, port: 8472, mtu: 1500 }, issues: [['topology-bad-value', 5, 21]] },
    { body: '  network: {plugin: flannel, backend: ipip}\n', want: { plugin: 'flannel', backend: 'vxlan', vni: 1, port: 8472, mtu: 1500 }, issues: [['topology-bad-value', 5, 39]] },
    { body: '  network: {plugin: calico, port: 70000, colour: red}\n', want: { plugin: 'calico', backend: 'ipip', vni: 4096, port: 4789, mtu: 1500 }, issues: [['topology-unknown-field', 5, 42], ['topology-bad-value', 5, 35]] },
  ];
  for (const c of cases) {
    await t.test(c.body.trim(), () => {
      const r = parse(c.body);
      const { span: _span, ...net } = r.value.network!;
      assert.deepEqual(net, c.want);
      assert.deepEqual(where(r), c.issues ?? []);
    });
  }
});
