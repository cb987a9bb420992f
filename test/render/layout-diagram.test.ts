import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutDiagram, pathThrough, type Box, type Point } from '../../src/render/layout-diagram';
import { toClusterView } from '../../src/protocol/cluster-view';
import { DNS_A, DNS_B, seedCluster, seedOutcomes } from '../fixtures/render/seed';

const layout = layoutDiagram(toClusterView(seedCluster()));
const inside = (p: Point, b: Box) => p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h;

void test('routers above the bus, nodes below it, pods inside their node, services below the nodes', () => {
  const gw = layout.hosts.get('azure-gateway')!.box;
  const bus = layout.bus!;
  assert.ok(gw.y + gw.h < bus.y);
  for (const id of ['k8s-agent-0', 'k8s-agent-1', 'k8s-master-0']) assert.ok(layout.hosts.get(id)!.box.y > bus.y, id);
  for (const [pod, node] of [['default/ubuntu', 'k8s-agent-0'], [DNS_A, 'k8s-agent-0'], [DNS_B, 'k8s-agent-1']]) {
    const b = layout.hosts.get(pod)!.box;
    const n = layout.hosts.get(node)!.box;
    assert.ok(inside({ x: b.x, y: b.y }, n) && inside({ x: b.x + b.w, y: b.y + b.h }, n), pod);
  }
  const lowest = Math.max(...[...layout.hosts.values()].map((h) => h.box.y + h.box.h));
  assert.ok(layout.services[0].box.y > lowest);
  assert.match(bus.label, /10\.240\.0\.0\/16/);
});

void test('outcome paths are orthogonal and run from the source pod to the receiving pod', () => {
  for (const o of seedOutcomes()) {
    const pts = pathThrough(layout, o.hops.map((h) => h.host).concat(o.at));
    assert.deepEqual(pts[0], layout.hosts.get('default/ubuntu')!.attach);
    assert.deepEqual(pts[pts.length - 1], layout.hosts.get(o.at)!.attach);
    for (let i = 1; i < pts.length; i++) {
      const [a, b] = [pts[i - 1], pts[i]];
      assert.ok(a.x === b.x || a.y === b.y, `segment ${i} of ${o.at} is axis-aligned`);
      assert.ok(a.x !== b.x || a.y !== b.y, `segment ${i} of ${o.at} has length`);
    }
  }
});

void test('the path across nodes touches the bus and the gateway; the local one stays below the bus', () => {
  const [local, remote] = seedOutcomes();
  const bus = layout.bus!.y;
  const localPts = pathThrough(layout, local.hops.map((h) => h.host));
  assert.ok(localPts.every((p) => p.y > bus));
  const remotePts = pathThrough(layout, remote.hops.map((h) => h.host));
  assert.ok(remotePts.some((p) => p.y === bus));
  assert.ok(remotePts.some((p) => p.x === layout.hosts.get('azure-gateway')!.attach.x && p.y === layout.hosts.get('azure-gateway')!.attach.y));
});

void test('hosts the diagram does not know are skipped; nothing known gives no path', () => {
  assert.deepEqual(pathThrough(layout, ['internet', 'elsewhere']), []);
  assert.deepEqual(pathThrough(layout, ['default/ubuntu', 'internet']), [layout.hosts.get('default/ubuntu')!.attach]);
});
