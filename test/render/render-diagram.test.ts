import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceResult } from '../../src/core/sim/types';
import { renderDiagram } from '../../src/render/render-diagram';
import { toClusterView } from '../../src/protocol/cluster-view';
import { seedCluster, seedResult } from '../fixtures/render/seed';

const view = toClusterView(seedCluster());
const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

void test('the seed: one coloured path per outcome, arrows at delivery, probability labels, the targeted Service marked', () => {
  const svg = renderDiagram(view, seedResult(), 'r0');
  assert.equal(count(svg, /<g class="path oc-\d"/g), 2);
  assert.match(svg, /<g class="path oc-0" data-outcome="0">/);
  assert.match(svg, /<g class="path oc-1" data-outcome="1">/);
  assert.equal(count(svg, /marker-end="url\(#r0-arrow-\d\)"/g), 2);
  assert.deepEqual([...svg.matchAll(/<text class="prob-text"[^>]*>([^<]*)</g)].map((m) => m[1]), ['#1 50%', '#2 50%']);
  assert.equal(count(svg, /reply-stroke/g), 0);
  assert.equal(count(svg, /class="oc-stroke stop"/g), 0);
  assert.equal(count(svg, /class="service service-hit"/g), 1);
  for (const host of ['azure-gateway', 'k8s-agent-0', 'k8s-agent-1', 'k8s-master-0', 'default/ubuntu']) assert.ok(svg.includes(`data-host="${host}"`), host);
});

void test('a dropped packet ends in a stop mark, not an arrow; a failed reply is drawn dashed to where it died', () => {
  const r: TraceResult = { ...seedResult(), query: { ...seedResult().query, to: '10.0.0.99' } };
  r.outcomes = [
    { probability: 0.5, disposition: 'dropped', at: 'k8s-agent-0', hops: [{ host: 'default/ubuntu', kind: 'route', text: 'r' }, { host: 'k8s-agent-0', kind: 'drop', text: 'DROP' }] },
    { ...seedResult().outcomes[1], connection: undefined, reply: { disposition: 'blackhole', at: 'azure-gateway', hops: [{ host: 'k8s-agent-1', kind: 'route', text: 'r' }] } },
  ];
  const svg = renderDiagram(view, r, 'r1');
  assert.equal(count(svg, /marker-end=/g), 1);
  assert.equal(count(svg, /class="oc-stroke stop"/g), 2);
  assert.equal(count(svg, /class="oc-stroke reply-stroke"/g), 1);
  assert.equal(count(svg, /service-hit/g), 0);
});

void test('names from the topology are escaped in the drawing', () => {
  const v = toClusterView(seedCluster());
  v.routers[0] = { ...v.routers[0], id: '<gw>', name: '<gw>' };
  const svg = renderDiagram(v, seedResult(), 'x');
  assert.ok(!svg.includes('<gw>'));
  assert.ok(svg.includes('&lt;gw&gt;'));
});
