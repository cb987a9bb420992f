import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFromWebview, isToWebview } from '../../src/protocol/messages';
import { toClusterView } from '../../src/protocol/cluster-view';
import { seedCluster, seedDnsResult, seedResult } from '../fixtures/render/seed';

const view = toClusterView(seedCluster());
const trace = { type: 'trace', results: [seedResult(), seedDnsResult()], view, problems: [] };

void test('isToWebview accepts the two extension messages, also after a JSON round trip', () => {
  for (const m of [trace, { type: 'error', message: 'unknown source pod' }, { ...trace, results: [] }]) {
    assert.equal(isToWebview(m), true);
    assert.equal(isToWebview(JSON.parse(JSON.stringify(m))), true);
  }
});

void test('isToWebview rejects malformed or foreign messages', () => {
  const cases: [string, unknown][] = [
    ['null', null],
    ['string', 'trace'],
    ['array', [trace]],
    ['unknown type', { type: 'open', file: 'a', line: 1, column: 1 }],
    ['error without message', { type: 'error' }],
    ['results not an array', { ...trace, results: seedResult() }],
    ['result of another version', { ...trace, results: [{ ...seedResult(), version: 2 }] }],
    ['outcome without hops', { ...trace, results: [{ ...seedResult(), outcomes: [{ probability: 1, disposition: 'delivered' }] }] }],
    ['view missing a list', { ...trace, view: { ...view, services: undefined } }],
    ['problems not strings', { ...trace, problems: [1] }],
  ];
  for (const [name, m] of cases) assert.equal(isToWebview(m), false, name);
});

void test('isFromWebview: open, ready and retrace, with their fields checked', () => {
  const cases: [unknown, boolean][] = [
    [{ type: 'open', file: 'cluster.netsim.yaml', line: 41, column: 7 }, true],
    [{ type: 'open', file: 'cluster.netsim.yaml', line: 0, column: 1 }, false],
    [{ type: 'open', file: 'cluster.netsim.yaml', line: 1.5, column: 1 }, false],
    [{ type: 'open', file: '', line: 1, column: 1 }, false],
    [{ type: 'open', file: 'x', line: '3', column: 1 }, false],
    [{ type: 'ready' }, true],
    [{ type: 'retrace', query: { from: 'default/ubuntu', to: '10.0.0.10', protocol: 'udp', port: 53 } }, true],
    [{ type: 'retrace', query: { from: 'default/ubuntu', to: '10.0.0.10', protocol: 'udp' } }, true],
    [{ type: 'retrace', query: { from: 'default/ubuntu', to: '10.0.0.10', protocol: 'sctp' } }, false],
    [{ type: 'retrace', query: { from: 'default/ubuntu', to: '10.0.0.10', protocol: 'tcp', port: 70000 } }, false],
    [{ type: 'trace', results: [] }, false],
    [undefined, false],
  ];
  for (const [m, want] of cases) assert.equal(isFromWebview(m), want, JSON.stringify(m));
});
