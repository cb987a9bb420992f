import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv4, parseIPv4, parsePrefix } from '../../../src/core/net/ipv4';
import { lookupRoute } from '../../../src/core/sim/route-lookup';
import type { PolicyRule } from '../../../src/core/model/routes';
import { hostOf } from './fixtures';

const SPAN = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
const ip = (s: string): number => parseIPv4(s)!;

function rule(priority: number, table: string, sel: Partial<PolicyRule> = {}): PolicyRule {
  return { priority, not: false, action: { kind: 'lookup', table }, raw: '', span: SPAN, ...sel };
}

const host = hostOf({
  id: 'n', kind: 'node',
  ifaces: [{ name: 'lo', addr: '127.0.0.1/8' }, { name: 'eth0', addr: '10.240.0.4/16' }, { name: 'cbr0', addr: '10.244.0.1/24' }, { name: 'eth1', addr: '172.31.0.10/24' }],
  routes: [
    'default via 10.240.0.1 dev eth0',
    '10.9.0.0/16 via 10.240.0.7 dev eth0 metric 100',
    '10.9.0.0/16 via 10.240.0.8 dev eth0 metric 50',
    'blackhole 10.66.0.0/16',
    'unreachable 10.67.0.0/16',
    'prohibit 10.68.0.0/16',
    'throw 10.69.0.0/16 table 101',
    'default via 172.31.0.1 dev eth1 table 101',
  ],
});
host.routing.policy = [
  rule(0, 'local'),
  rule(100, '101', { fwmark: { value: 0x80, mask: 0x80 } }),
  rule(200, '101', { from: parsePrefix('10.244.0.0/24') }),
  rule(32766, 'main'),
  rule(32767, 'default'),
];

const cases: { name: string; dst: string; src?: string; mark?: number; kind: string; via?: string; dev?: string }[] = [
  { name: 'own address is local', dst: '10.244.0.1', kind: 'local' },
  { name: 'loopback range is local', dst: '127.0.0.53', kind: 'local' },
  { name: 'connected route', dst: '10.240.0.5', kind: 'unicast', dev: 'eth0', via: undefined },
  { name: 'default route', dst: '8.8.8.8', kind: 'unicast', dev: 'eth0', via: '10.240.0.1' },
  { name: 'equal prefix: lowest metric wins', dst: '10.9.1.1', kind: 'unicast', via: '10.240.0.8' },
  { name: 'blackhole', dst: '10.66.1.1', kind: 'blackhole' },
  { name: 'unreachable', dst: '10.67.1.1', kind: 'unreachable' },
  { name: 'prohibit', dst: '10.68.1.1', kind: 'prohibit' },
  { name: 'fwmark rule picks table 101', dst: '8.8.8.8', mark: 0x4080, kind: 'unicast', via: '172.31.0.1', dev: 'eth1' },
  { name: 'mark without the bit stays in main', dst: '8.8.8.8', mark: 0x4000, kind: 'unicast', via: '10.240.0.1' },
  { name: 'from rule picks table 101', dst: '8.8.8.8', src: '10.244.0.6', kind: 'unicast', via: '172.31.0.1' },
  { name: 'throw in 101 falls through to main', dst: '10.69.0.1', src: '10.244.0.6', kind: 'unicast', via: '10.240.0.1' },
];

for (const c of cases) {
  void test(`route lookup: ${c.name}`, () => {
    const r = lookupRoute(host, { dst: ip(c.dst), src: c.src ? ip(c.src) : undefined, mark: c.mark ?? 0 });
    assert.equal(r.length, 1);
    assert.equal(r[0].kind, c.kind);
    if (r[0].kind === 'unicast') {
      if ('via' in c) assert.equal(r[0].gateway === undefined ? undefined : formatIPv4(r[0].gateway), c.via);
      if (c.dev) assert.equal(r[0].dev, c.dev);
    }
  });
}

void test('route lookup: no route at all', () => {
  const h = hostOf({ id: 'p', kind: 'pod', ifaces: [{ name: 'eth0', addr: '10.244.0.6/24' }] });
  assert.deepEqual(lookupRoute(h, { dst: ip('8.8.8.8'), mark: 0 }).map((c) => c.kind), ['none']);
});

void test('route lookup: multipath shares follow weights and sum to 1', () => {
  const h = hostOf({ id: 'r', kind: 'router', ifaces: [{ name: 'eth0', addr: '10.0.0.1/24' }] });
  const r = h.routing.tables.get('main')!;
  r.push({ route: { table: 'main', type: 'unicast', dst: { addr: 0, len: 0 }, nexthops: [{ via: ip('10.0.0.2'), dev: 'eth0', weight: 1 }, { via: ip('10.0.0.3'), dev: 'eth0', weight: 3 }], metric: 0, raw: '', span: SPAN } });
  const c = lookupRoute(h, { dst: ip('1.1.1.1'), mark: 0 });
  assert.deepEqual(c.map((x) => x.share), [0.25, 0.75]);
});
