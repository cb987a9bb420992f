import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { indexChains } from '../../src/extension/logic/chain-index';
import { chainOutline, routeOutline } from '../../src/extension/logic/symbols';
import { parseRouteTable } from '../../src/core/parse/routes/parse-routes';
import { corpus } from './fixture';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './fixture';

void test('iptables outline: table → chains (declaration order) → rules', () => {
  const out = chainOutline(indexChains(readFileSync(join(FIXTURES, 'node-a/iptables-save.txt'), 'utf8')));
  assert.deepEqual(out.map((t) => [t.kind, t.name]), [['table', 'nat']]);
  const chains = out[0].children;
  assert.deepEqual(chains.map((c) => c.name), ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'KUBE-MARK-MASQ', 'KUBE-POSTROUTING', 'KUBE-SERVICES', 'KUBE-SVC-WEB', 'KUBE-SEP-WEB1']);
  const sep = chains.find((c) => c.name === 'KUBE-SEP-WEB1')!;
  assert.equal(sep.children.length, 2);
  assert.equal(sep.detail, '2 rules');
  // A chain's range runs from its declaration to its last rule; the selection is the name.
  assert.equal(sep.selection.startLine, 10);
  assert.equal(sep.range.endLine, 20);
  assert.equal(chains[0].detail, '1 rule, policy ACCEPT');
});

void test('route outline: one entry per route at its line', () => {
  const text = corpus('routing/calico-ipip-cms-daq-workshop-node-0.route-n.txt');
  const parsed = parseRouteTable(text);
  const out = routeOutline(parsed.value.routes);
  assert.equal(out.length, parsed.value.routes.length);
  assert.ok(out.length > 3);
  const lines = text.split(/\r?\n/);
  for (const [i, r] of parsed.value.routes.entries()) {
    assert.equal(out[i].range.startLine, r.span.line - 1);
    assert.equal(out[i].kind, 'route');
    const firstWord = lines[r.span.line - 1].trim().split(/\s+/)[0];
    const name = r.type === 'unicast' ? out[i].name : out[i].name.replace(`${r.type} `, '');
    assert.ok(name.startsWith(firstWord === '0.0.0.0' ? 'default' : firstWord), `${out[i].name} vs ${firstWord}`);
  }
});
