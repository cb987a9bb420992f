import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sourceItems, destinationItems, withRecent, remember, splitHostPort } from '../../src/extension/logic/quick-picks';
import { readTraceArgs, withPortFromDestination } from '../../src/extension/logic/trace-args';
import { loadMini } from './fixture';

void test('sources: pods first (ns/name with address), then nodes and routers', () => {
  const items = sourceItems(loadMini().topology);
  assert.deepEqual(items.map((i) => [i.group, i.value, i.description]), [
    ['pod', 'default/client', '10.244.0.6'], ['pod', 'default/web-1', '10.244.1.3'],
    ['node', 'node-a', '10.240.0.4'], ['node', 'node-b', '10.240.0.5'], ['router', 'gateway', '10.240.0.1'],
  ]);
});

void test('destinations: each Service port as ClusterIP:port with its protocol, then pods and nodes', () => {
  const items = destinationItems(loadMini().topology);
  assert.deepEqual(items[0], { label: 'default/web 80/TCP', description: '10.0.0.80:80', detail: 'Service', value: '10.0.0.80:80', protocol: 'tcp', port: 80, group: 'service' });
  assert.deepEqual(items[1], { label: 'web.default:80', description: 'TCP', detail: 'DNS name of the Service (resolved first)', value: 'web.default:80', protocol: 'tcp', port: 80, group: 'dns' });
  assert.deepEqual(items.slice(2).map((i) => i.value), ['10.244.0.6', '10.244.1.3', '10.240.0.4', '10.240.0.5']);
});

void test('recent choices come first, once, and the list is bounded', () => {
  const items = sourceItems(loadMini().topology);
  const out = withRecent(items, ['node-b', '10.9.9.9']);
  assert.deepEqual(out.slice(0, 3).map((i) => [i.group, i.value]), [['recent', 'node-b'], ['recent', '10.9.9.9'], ['pod', 'default/client']]);
  assert.equal(out.filter((i) => i.value === 'node-b').length, 1);
  assert.deepEqual(remember(['a', 'b', 'c'], 'b'), ['b', 'a', 'c']);
  assert.deepEqual(remember(['a', 'b', 'c', 'd', 'e'], 'f'), ['f', 'a', 'b', 'c', 'd']);
});

void test('host:port splitting and command arguments', () => {
  assert.deepEqual(splitHostPort('10.0.0.10:53'), { to: '10.0.0.10', port: 53 });
  assert.deepEqual(splitHostPort('kube-dns.kube-system'), { to: 'kube-dns.kube-system' });
  assert.deepEqual(splitHostPort('x:99999'), { to: 'x:99999' });
  assert.deepEqual(readTraceArgs({ topology: '/t.netsim.yaml', from: ' ubuntu ', to: '10.0.0.10', protocol: 'udp', port: 53, extra: 1 }), { topology: '/t.netsim.yaml', from: 'ubuntu', to: '10.0.0.10', protocol: 'udp', port: 53 });
  assert.deepEqual(readTraceArgs({ protocol: 'sctp', port: 70000, from: 3 }), {});
  assert.deepEqual(readTraceArgs('nonsense'), {});
  assert.deepEqual(readTraceArgs({ port: '8080' }), { port: 8080 });
  assert.deepEqual(withPortFromDestination({ to: '10.0.0.10:53' }), { to: '10.0.0.10', port: 53 });
  assert.deepEqual(withPortFromDestination({ to: '10.0.0.10:53', port: 5353 }), { to: '10.0.0.10', port: 5353 });
});
