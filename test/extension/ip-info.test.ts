import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeAddress, addressLabel, servicePortOf } from '../../src/extension/logic/ip-info';
import { loadMini } from './fixture';

void test('describeAddress classifies every kind of address of a small topology', () => {
  const { cluster } = loadMini();
  const cases: [string, RegExp, number][] = [
    // address, label, number of ranges it falls in (at least)
    ['10.0.0.80', /^Service default\/web ClusterIP$/, 1],
    ['10.244.1.3', /^pod default\/web-1 on node-b \(eth0\)$/, 2],
    ['10.244.0.6', /^pod default\/client on node-a/, 2],
    ['10.240.0.4', /^node node-a \(eth0\)$/, 1],
    ['10.240.0.1', /^router gateway/, 1],
    ['10.244.0.1', /^node node-a \(bridge cbr0\)$/, 2],
    ['10.244.0.77', /^not owned by any modelled host$/, 2],
    ['8.8.8.8', /^outside the modelled network$/, 0],
  ];
  for (const [ip, label, ranges] of cases) {
    const info = describeAddress(cluster, ip);
    assert.ok(info, ip);
    assert.match(addressLabel(info), label, ip);
    assert.ok(info.ranges.length >= ranges, `${ip}: ${JSON.stringify(info.ranges)}`);
  }
  assert.equal(describeAddress(cluster, '10.244.1.3')!.endpointOf[0].name, 'web');
  assert.ok(describeAddress(cluster, '10.0.0.80')!.ranges.some((r) => r.cidr === '10.0.0.0/16'));
  assert.equal(describeAddress(cluster, 'not-an-ip'), undefined);
});

void test('servicePortOf: the first TCP/UDP port, as a client would use it', () => {
  const { cluster } = loadMini();
  assert.deepEqual(servicePortOf(cluster.services[0]), { protocol: 'tcp', port: 80 });
  assert.deepEqual(servicePortOf({ ...cluster.services[0], ports: [{ port: 53, targetPort: 53, protocol: 'UDP' }] }), { protocol: 'udp', port: 53 });
  assert.equal(servicePortOf({ ...cluster.services[0], ports: [] }), undefined);
});
