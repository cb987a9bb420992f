/**
 * What an operator saw on a Calico node before and after BGP peering (corpus
 * calico-nodeToNodeMesh-false-minion2): with the real `route -n` dumps of
 * minion2, a ping to a pod on minion1 falls to the default route (leaving the
 * modelled network: the operator saw no reply) before peering, and after
 * peering goes via 192.168.57.3 and is answered through one routed hop (ttl=63).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIPv4 } from '../../../src/core/net/ipv4';
import { parseRouteTable } from '../../../src/core/parse/routes/parse-routes';
import { traceFlow } from '../../../src/core/sim/trace-flow';
import { clusterOf } from './fixtures';
import { CORPUS } from '../../fixtures/dirs';

const DIR = `${CORPUS}/routing`;

function clusterWith(dump: string) {
  const cl = clusterOf([
    { id: 'minion2', kind: 'node', ifaces: [{ name: 'enp0s3', addr: '10.0.2.15/24', segment: 'nat' }, { name: 'enp0s8', addr: '192.168.57.4/24', segment: 'hostonly' }] },
    { id: 'minion1', kind: 'node', ifaces: [{ name: 'enp0s8', addr: '192.168.57.3/24', segment: 'hostonly' }, { name: 'cali1', addr: '169.254.1.1/32', segment: 'p2p' }], routes: ['172.30.34.4/32 dev cali1', 'default via 192.168.57.4 dev enp0s8'] },
    { id: 'default/my-nginx-56b48db847-5r4vs', kind: 'pod', node: 'minion1', ifaces: [{ name: 'eth0', addr: '172.30.34.4/32', segment: 'p2p' }], routes: ['169.254.1.1/32 dev eth0', 'default via 169.254.1.1 dev eth0'] },
  ]);
  const routes = parseRouteTable(readFileSync(`${DIR}/${dump}`, 'utf8')).value.routes;
  cl.hosts.get('minion2')!.routing.tables.set('main', routes.map((route) => ({ route })));
  return cl;
}

const flows = (JSON.parse(readFileSync(`${DIR}/calico-nodeToNodeMesh-false-minion2.flows.json`, 'utf8')) as { flows: { dump: string; destIP: string }[] }).flows;

void test('calico minion2 before peering: the ping falls to the default route and leaves the modelled network', () => {
  const os = traceFlow(clusterWith(flows[0].dump), { srcHost: 'minion2', src: parseIPv4('192.168.57.4')!, dst: parseIPv4(flows[0].destIP)!, protocol: 'icmp' });
  assert.equal(os.length, 1);
  assert.equal(os[0].disposition, 'exited');
  assert.match(os[0].hops[0].text, /via 10\.0\.2\.1 dev enp0s3/);
});

void test('calico minion2 after peering: via 192.168.57.3 dev enp0s8, answered through one routed hop', () => {
  const os = traceFlow(clusterWith(flows[1].dump), { srcHost: 'minion2', src: parseIPv4('192.168.57.4')!, dst: parseIPv4(flows[1].destIP)!, protocol: 'icmp' });
  assert.equal(os.length, 1);
  assert.equal(os[0].disposition, 'delivered');
  assert.match(os[0].hops[0].text, /172\.30\.34\.4 via 192\.168\.57\.3 dev enp0s8 \(route 172\.30\.34\.0\/26/);
  assert.equal(os[0].connection, 'ok');
  const routed = os[0].reply!.hops.filter((h) => h.kind === 'route').map((h) => h.host);
  // The pod's lookup, minion1 forwarding (ttl 64 → 63), minion2's local delivery.
  assert.deepEqual(routed, ['default/my-nginx-56b48db847-5r4vs', 'minion1', 'minion2']);
});
