/**
 * A cloud route table lists the routes someone added; the cloud keeps system
 * routes beside them (the virtual network's own prefixes as VnetLocal, and
 * 0.0.0.0/0 to the internet). The model adds them, marks them implied in the
 * trace, and lets a row of the table for the same prefix replace them. A packet
 * that leaves for the internet carries its source out, and the outcome says
 * when that source is one no reply can find (a pod address nothing masqueraded).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCluster } from '../../../src/core/build/load';
import { trace } from '../../../src/core/query/trace';
import type { TraceResult } from '../../../src/core/sim/types';

const TOPOLOGY = 'examples/azure-kubenet/cluster.netsim.yaml';

/** The example, with the gateway's route table as given (default: as shipped). */
function example(routeTable?: string): ReturnType<typeof loadCluster>['cluster'] {
  const dir = dirname(TOPOLOGY);
  return loadCluster(readFileSync(TOPOLOGY, 'utf8'), TOPOLOGY, {
    read: (p) => ({ text: p === 'gateway-route-table.txt' && routeTable !== undefined ? routeTable : readFileSync(join(dir, p), 'utf8') }),
  }).cluster;
}

const TABLE = readFileSync('examples/azure-kubenet/gateway-route-table.txt', 'utf8');
const at = (r: TraceResult): string[] => r.outcomes.map((o) => `${o.disposition}@${o.at}`);
const gatewayRoute = (r: TraceResult) => r.outcomes[0].hops.find((h) => h.host === 'azure-gateway' && h.kind === 'route');

void test('a pod to the internet: exits at the gateway by the implied 0.0.0.0/0 → Internet, with its pod address, which no reply can find', () => {
  const r = trace(example(), { from: 'ubuntu', to: '8.8.8.8', protocol: 'udp', port: 53 });
  assert.deepEqual(at(r), ['exited@azure-gateway']);
  const o = r.outcomes[0];
  assert.equal(o.seenSource?.ip, '10.244.0.6');
  assert.equal(o.unanswerableSource, 'pod-address');
  assert.equal(gatewayRoute(r)?.implied, 'cloud-system-route');
  assert.equal(gatewayRoute(r)?.origin, undefined);
  assert.match(o.summary ?? '', /pod address/);
});

void test('a node to the internet: its virtual-network address is the cloud\'s to translate, so nothing is said against it', () => {
  const r = trace(example(), { from: 'k8s-agent-0', to: '8.8.8.8', protocol: 'udp', port: 53 });
  assert.deepEqual(at(r), ['exited@azure-gateway']);
  assert.equal(r.outcomes[0].seenSource?.ip, '10.240.0.4');
  assert.equal(r.outcomes[0].unanswerableSource, undefined);
});

void test('the virtual network\'s own prefix is an implied VnetLocal route at the gateway', () => {
  const r = trace(example(), { from: 'azure-gateway', to: '10.240.0.5', protocol: 'icmp' });
  assert.deepEqual(at(r), ['delivered@k8s-agent-1']);
  const h = r.outcomes[0].hops.find((x) => x.kind === 'route');
  assert.equal(h?.implied, 'cloud-system-route');
  assert.match(h?.text ?? '', /VnetLocal/);
});

void test('a row of the table for 0.0.0.0/0 replaces the implied route (next hop None: dropped there)', () => {
  const r = trace(example(`${TABLE}block-internet | 0.0.0.0/0 | None |\n`), { from: 'ubuntu', to: '8.8.8.8', protocol: 'udp', port: 53 });
  assert.deepEqual(at(r), ['blackhole@azure-gateway']);
  assert.equal(gatewayRoute(r)?.implied, undefined);
  assert.ok(gatewayRoute(r)?.origin);
});

void test('a pod range missing from the table falls to the implied 10.0.0.0/8 → None and is dropped at the gateway; lint names the missing route', () => {
  const cluster = example(TABLE.replace(/^k8s-agent-154d19d7-1 .*\n/m, ''));
  const r = trace(cluster, { from: 'ubuntu', to: '10.244.1.2', protocol: 'udp', port: 53 });
  assert.deepEqual(at(r), ['blackhole@azure-gateway']);
  assert.equal(gatewayRoute(r)?.implied, 'cloud-system-route');
  assert.match(gatewayRoute(r)?.text ?? '', /10\.0\.0\.0\/8 → None/);
});

void test('routes of the table still win over the implied ones for their prefixes (pods reach the other node\'s pods)', () => {
  const r = trace(example(), { from: 'ubuntu', to: '10.244.1.2', protocol: 'udp', port: 53 });
  assert.deepEqual(at(r), ['delivered@kube-system/kube-dns-v20-3003781527-njvzk']);
  assert.equal(gatewayRoute(r)?.implied, undefined);
});
