/** The invariant of every trace: outcome probabilities sum to 1, whatever statistic rules and multipath routes do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIPv4 } from '../../../src/core/net/ipv4';
import { traceFlow } from '../../../src/core/sim/trace-flow';
import { clusterOf, pod } from './fixtures';

const VERDICTS = ['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'MARK --set-xmark 0x1/0x1', 'LOG', 'DNAT --to-destination 10.244.0.7:80', 'DNAT --to-destination 10.244.0.99:80', 'A', 'B'];

function rulesOf(spec: { chain: number; p: number; nth: boolean; target: number }[]): string {
  const lines = ['*nat', ':PREROUTING ACCEPT [0:0]', ':A - [0:0]', ':B - [0:0]'];
  const chains = ['PREROUTING', 'A', 'B'];
  for (const r of spec) {
    const chain = chains[r.chain];
    let target = VERDICTS[r.target];
    if (['DROP', 'REJECT'].includes(target)) target = 'ACCEPT';
    const stat = r.nth ? `-m statistic --mode nth --every ${Math.max(2, Math.round(1 / Math.max(r.p, 0.05)))} --packet 0` : `-m statistic --mode random --probability ${r.p.toFixed(10)}`;
    lines.push(`-A ${chain} ${stat} -j ${target}`);
  }
  lines.push('COMMIT', '*filter', ':FORWARD ACCEPT [0:0]');
  for (const r of spec.slice(0, 4)) lines.push(`-A FORWARD -m statistic --mode random --probability ${(1 - r.p).toFixed(10)} -j ${['ACCEPT', 'DROP', 'REJECT'][r.target % 3]}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

void test('property: probabilities sum to 1 over random statistic cascades, jumps (cycles included) and DNATs', () => {
  const rule = fc.record({ chain: fc.integer({ min: 0, max: 2 }), p: fc.double({ min: 0.01, max: 0.99, noNaN: true }), nth: fc.boolean(), target: fc.integer({ min: 0, max: VERDICTS.length - 1 }) });
  fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 14 }), (spec) => {
    const cl = clusterOf([
      { id: 'n0', kind: 'node', ifaces: [{ name: 'eth0', addr: '10.240.0.4/16', segment: 'lan' }, { name: 'cbr0', addr: '10.244.0.1/24', segment: 'br', bridge: true }], routes: ['default via 10.240.0.1 dev eth0'], iptables: rulesOf(spec) },
      pod('default/a', 'n0', '10.244.0.6', 24, '10.244.0.1', 'br'),
      pod('default/b', 'n0', '10.244.0.7', 24, '10.244.0.1', 'br'),
    ]);
    const os = traceFlow(cl, { srcHost: 'default/a', src: parseIPv4('10.244.0.6')!, dst: parseIPv4('10.0.0.10')!, protocol: 'tcp', srcPort: 40000, dstPort: 80 });
    assert.ok(os.length > 0);
    const sum = os.reduce((s, o) => s + o.probability, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum}`);
    for (const o of os) assert.ok(o.probability > 0 && o.probability <= 1);
  }), { numRuns: 150 });
});

void test('a statistic rule with a non-terminal target in a long chain does not explode: branches are capped and said so', () => {
  const lines = ['*mangle', ':PREROUTING ACCEPT [0:0]'];
  for (let i = 0; i < 40; i++) lines.push(`-A PREROUTING -m statistic --mode random --probability 0.5 -j MARK --set-xmark 0x${(1 << (i % 31)).toString(16)}/0x0`);
  lines.push('COMMIT', '');
  const cl = clusterOf([
    { id: 'n0', kind: 'node', ifaces: [{ name: 'eth0', addr: '10.240.0.4/16', segment: 'lan' }, { name: 'cbr0', addr: '10.244.0.1/24', segment: 'br', bridge: true }], iptables: lines.join('\n') },
    pod('default/a', 'n0', '10.244.0.6', 24, '10.244.0.1', 'br'),
    pod('default/b', 'n0', '10.244.0.7', 24, '10.244.0.1', 'br'),
  ]);
  const t0 = Date.now();
  const os = traceFlow(cl, { srcHost: 'default/a', src: parseIPv4('10.244.0.6')!, dst: parseIPv4('10.244.0.7')!, protocol: 'tcp', srcPort: 40000, dstPort: 80 });
  assert.ok(Date.now() - t0 < 20000);
  assert.ok(Math.abs(os.reduce((s, o) => s + o.probability, 0) - 1) < 1e-9);
  assert.ok(os.some((o) => o.assumptions?.some((a) => /random branches/.test(a))));
});
