import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { addressHoverMarkdown, chainHoverMarkdown, commandLink, outcomeEnd } from '../../src/extension/logic/hover-text';
import { describeAddress } from '../../src/extension/logic/ip-info';
import { indexChains, chainsNamed } from '../../src/extension/logic/chain-index';
import type { TraceResult, Outcome } from '../../src/core/sim/types';
import { loadMini } from './fixture';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './fixture';

const outcome = (ip: string, p: number, hops: number): Outcome => ({
  probability: p, disposition: 'delivered', at: 'k8s-agent-0',
  delivered: { ip, port: 53, pod: `kube-system/dns-${ip}`, node: 'k8s-agent-0' },
  hops: Array.from({ length: hops }, (_, i) => ({ host: 'default/ubuntu', kind: 'route' as const, text: `step ${i} *x*`, origin: { file: 'cluster.netsim.yaml', line: 10 + i, column: 1, text: '' } })),
});

void test('address hover: label, one line per outcome, the source and a link to pick another, links to the trace view; no hop lists', () => {
  const { cluster } = loadMini();
  const info = describeAddress(cluster, '10.0.0.80')!;
  const result: TraceResult = { version: 1, query: { from: 'default/client', to: '10.0.0.80', protocol: 'tcp', port: 80 }, source: { ip: '10.244.0.6' }, dns: null, outcomes: [outcome('10.244.0.2', 0.5, 2), outcome('10.244.1.2', 0.5, 20)] };
  const query = { topology: '/w/mini.netsim.yaml', from: 'default/client', to: '10.0.0.80', protocol: 'tcp' as const, port: 80 };
  const md = addressHoverMarkdown(info, { from: 'default/client', why: 'default', topology: '/w/mini.netsim.yaml' }, query, result);
  const lines = md.split('\n');
  assert.match(lines[0], /^\*\*10\.0\.0\.80\*\* — Service default\/web ClusterIP$/);
  assert.deepEqual(lines.filter((l) => /^- \*\*50%\*\* delivered to 10\.244\.[01]\.2:53/.test(l)).map((l) => /10\.244\.[01]\.2/.exec(l)?.[0]), ['10.244.0.2', '10.244.1.2']);
  assert.equal(lines.filter((l) => l.startsWith('- ')).length, 2, 'one line per outcome, no hops');
  assert.ok(!md.includes('step 0'), 'no hop text');
  assert.ok(lines.length <= 14, `fits a hover without scrolling: ${lines.length} lines`);
  assert.ok(lines.some((l) => l.startsWith('From **default/client** (default), tcp/80 · [pick another source](command:kubeNetsim.pickHoverSource?')));
  assert.ok(md.includes(`[Show in trace view](${commandLink('kubeNetsim.tracePacket', query)})`));
  assert.ok(md.includes(`[Trace to here…](${commandLink('kubeNetsim.tracePacket', { topology: query.topology, to: '10.0.0.80' })})`));
});

void test('address hover on the source\'s own address traces nothing and says how to pick another source', () => {
  const { cluster } = loadMini();
  const info = describeAddress(cluster, '10.0.0.80')!;
  const md = addressHoverMarkdown(info, { from: 'default/client', why: 'picked', topology: '/w/mini.netsim.yaml', self: true }, { topology: '/w/mini.netsim.yaml', to: '10.0.0.80' }, undefined);
  assert.match(md, /This is the address of \*\*default\/client\*\*, the source hovers trace from: \[pick another source\]/);
  assert.ok(!md.includes('Show in trace view'));
});

void test('address hover without a trace has no outcome section; a failed trace says why', () => {
  const { cluster } = loadMini();
  const info = describeAddress(cluster, '8.8.8.8')!;
  assert.ok(!addressHoverMarkdown(info, undefined, undefined, undefined).includes('From'));
  const failed: TraceResult = { version: 1, query: { from: 'x', to: '8.8.8.8', protocol: 'tcp' }, source: { ip: '' }, dns: null, outcomes: [], error: 'unknown source x' };
  assert.match(addressHoverMarkdown(info, { from: 'x', why: 'default', topology: '/w/t.netsim.yaml' }, undefined, failed), /Trace not possible: unknown source x/);
});

void test('commandLink encodes one JSON argument', () => {
  const link = commandLink('kubeNetsim.tracePacket', { to: '10.0.0.10', port: 53 });
  assert.equal(link, `command:kubeNetsim.tracePacket?${encodeURIComponent('[{"to":"10.0.0.10","port":53}]')}`);
});

void test('outcomeEnd names the endpoint or where the packet ended', () => {
  assert.equal(outcomeEnd(outcome('10.244.1.2', 1, 0)), 'delivered to 10.244.1.2:53 (kube-system/dns-10.244.1.2) on k8s-agent-0');
  assert.equal(outcomeEnd({ probability: 1, disposition: 'dropped', at: 'k8s-agent-1', hops: [] }), 'dropped at k8s-agent-1');
});

void test('chain hover: rule count, policy, and the chains that jump to it', () => {
  const idx = indexChains(readFileSync(join(FIXTURES, 'node-a/iptables-save.txt'), 'utf8'));
  assert.equal(chainHoverMarkdown(chainsNamed(idx, 'KUBE-MARK-MASQ')), '**KUBE-MARK-MASQ** (table nat)\n\n1 rule\n\njumped to from: KUBE-SERVICES, KUBE-SEP-WEB1');
  assert.equal(chainHoverMarkdown(chainsNamed(idx, 'PREROUTING')), '**PREROUTING** (table nat), policy ACCEPT\n\n1 rule\n\nbuilt-in chain (a hook calls it)');
});
