import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutDiagram, pathThrough, type Box, type Point } from '../../src/render/layout-diagram';
import { toClusterView, type ClusterView, type NodeView } from '../../src/protocol/cluster-view';
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

/** A cluster of `n` nodes with two pods each, behind one gateway, as a drawable view. */
function wideView(n: number): ClusterView {
  const nodes: NodeView[] = Array.from({ length: n }, (_, i) => ({
    id: `node-${i}`, name: `node-${i}`, kind: 'node', interfaces: [{ name: 'eth0', addresses: [`10.240.0.${10 + i}/16`], segment: 'net' }],
    bridges: [{ name: 'cni0', addresses: [`10.244.${i}.1/24`], segment: `node-${i}/cni0` }],
    pods: [0, 1].map((j) => ({ id: `default/p-${i}-${j}`, name: `p-${i}-${j}`, kind: 'pod' as const, namespace: 'default', bridge: 'cni0', interfaces: [{ name: 'eth0', addresses: [`10.244.${i}.${j + 2}/24`], segment: `node-${i}/cni0` }] })),
  }));
  return { routers: [{ id: 'gw', name: 'gw', kind: 'router', interfaces: [] }], nodes, hosts: [], services: [], segments: [] };
}

void test('wide clusters wrap nodes onto rows joined by a trunk; paths between rows run along it', () => {
  const l = layoutDiagram(wideView(8));
  const ys = [...new Set([...l.hosts.values()].filter((h) => h.view.kind === 'node').map((h) => h.box.y))];
  assert.ok(ys.length >= 2, 'more than one row');
  assert.equal(l.rowBuses.length, ys.length - 1);
  assert.ok(l.width <= 1450, `width ${l.width}`);
  const trunk = l.trunk!;
  const pts = pathThrough(l, ['default/p-0-0', 'node-0', 'gw', 'node-7', 'default/p-7-1']);
  assert.ok(pts.some((p) => p.x === trunk.x && p.y === l.rowBuses[l.rowBuses.length - 1]), 'reaches the last row bus through the trunk');
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i - 1].x === pts[i].x || pts[i - 1].y === pts[i].y, `segment ${i} axis-aligned`);
  assert.deepEqual(pts[pts.length - 1], l.hosts.get('default/p-7-1')!.attach);
  // Nodes never overlap.
  const boxes = [...l.hosts.values()].filter((h) => h.view.kind === 'node').map((h) => h.box);
  for (const a of boxes) for (const b of boxes) if (a !== b) assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y);
});
