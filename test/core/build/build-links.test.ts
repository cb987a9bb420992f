/**
 * A node's link layer in the model, from the kernel's own dumps
 * (test/fixtures/links): the VXLAN device's settings and MTU, the bridge
 * port's hairpin flag, the neighbour table and the fdb, each pointing at its line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIPv4 } from '../../../src/core/net/ipv4';
import { loadInline } from './fixture';

const FIX = join(import.meta.dirname, '../../fixtures/links');
const files = Object.fromEntries(['ip-d-addr.txt', 'ip-neigh.txt', 'bridge-fdb.txt', 'ip-route.txt'].map((f) => [`n0/${f}`, readFileSync(join(FIX, f), 'utf8')]));

const SPEC = [
  '  nodes:',
  '    - name: n0',
  '      ip: 10.240.0.4',
  '      podCIDR: 10.244.0.0/24',
  '      bridge: cni0',
  '      hairpinMode: false',
  '      interfaces: {file: n0/ip-d-addr.txt}',
  '      routes: {file: n0/ip-route.txt}',
  '      neighbours: {file: n0/ip-neigh.txt}',
  '      fdb: {file: n0/bridge-fdb.txt}',
  '',
].join('\n');

void test('a flannel node from kernel dumps: vxlan device, MTU, hairpin from ip -d, neighbours and fdb with origins', () => {
  const { cluster, issues } = loadInline(SPEC, files);
  assert.deepEqual(issues.filter((i) => i.severity !== 'info').map((i) => i.code), []);
  const n0 = cluster.hosts.get('n0')!;
  const vx = n0.interfaces.find((i) => i.name === 'flannel.1')!;
  assert.equal(vx.mtu, 1450);
  assert.deepEqual({ ...vx.tunnel, origin: undefined, local: formatIPv4((vx.tunnel as { local: number }).local) },
    { kind: 'vxlan', vni: 1, port: 8472, learning: false, dev: 'eth0', local: '10.240.0.4', origin: undefined });
  assert.equal(vx.tunnel?.origin?.file, 'n0/ip-d-addr.txt');
  assert.equal(vx.tunnel?.origin?.line, 15);
  // topology says hairpinMode: false, but `ip -d` shows the port with hairpin on: the dump wins.
  assert.equal(n0.interfaces.find((i) => i.name === 'veth1a2b3c4d')?.hairpin, true);
  assert.deepEqual(n0.neighbours?.map((n) => `${formatIPv4(n.ip)} ${n.dev} ${n.lladdr ?? '-'} ${n.usable ? 'usable' : 'unusable'}${n.proxy ? ' proxy' : ''} @${n.origin?.line}`), [
    '10.240.0.9 eth0 - unusable @2',
    '10.244.1.0 flannel.1 56:8a:7d:2b:ee:01 usable @3',
    '10.240.0.1 eth0 02:00:00:00:00:01 usable @4',
    '10.244.0.50 eth0 - unusable proxy @6',
  ]);
  assert.deepEqual(n0.fdb?.map((e) => `${e.lladdr} ${e.dev} ${formatIPv4(e.dst!)} @${e.origin?.file}:${e.origin?.line}`), [
    '00:00:00:00:00:00 flannel.1 10.240.0.6 @n0/bridge-fdb.txt:4',
    '56:8a:7d:2b:ee:01 flannel.1 10.240.0.5 @n0/bridge-fdb.txt:5',
  ]);
});
