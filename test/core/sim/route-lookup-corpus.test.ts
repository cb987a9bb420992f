/**
 * Route lookups against real dumps and what `ip route get` printed on the same
 * machines (corpus/routing/*.route-lookups.json): the chosen route's prefix,
 * gateway and device must be the kernel's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatIPv4, formatPrefix, parseIPv4, parsePrefix } from '../../../src/core/net/ipv4';
import { parseRouteTable } from '../../../src/core/parse/routes/parse-routes';
import { parseIpRule } from '../../../src/core/parse/routes/parse-ip-rule';
import { lookupRoute } from '../../../src/core/sim/route-lookup';
import type { Host, RouteEntry } from '../../../src/core/model/cluster';
import { CORPUS } from '../../fixtures/dirs';

const DIR = `${CORPUS}/routing`;
const read = (f: string): string => readFileSync(`${DIR}/${f}`, 'utf8');

interface Lookups {
  routeTable?: string;
  files?: Record<string, string>;
  lookups: { destIP: string; iif?: string | null; fwmark?: string | null; expected: string }[];
}

function hostWith(tables: Record<string, string>, rules?: string, addrs: [string, string][] = []): Host {
  const t = new Map<string, RouteEntry[]>();
  for (const [name, file] of Object.entries(tables)) {
    const parsed = parseRouteTable(read(file)).value.routes;
    t.set(name, parsed.map((route) => ({ route: { ...route, table: name } })));
  }
  return {
    id: 'h', kind: 'node', name: 'h',
    interfaces: addrs.map(([name, a]) => {
      const p = parsePrefix(a)!;
      return { name, addresses: [{ ip: p.ip, prefixLen: p.len }], up: true };
    }),
    routing: { tables: t, policy: rules ? parseIpRule(read(rules)).value : [] },
    flags: { ipForward: true, brNetfilter: false },
  };
}

/** `10.100.245.128/26 via 188.185.125.110 dev tunl0 …` → the fields compared. */
function expectedOf(s: string): { dst: string; via?: string; dev?: string } {
  const w = s.trim().split(/\s+/);
  const p = parsePrefix(w[0])!;
  const get = (k: string): string | undefined => {
    const i = w.indexOf(k);
    return i >= 0 ? w[i + 1] : undefined;
  };
  return { dst: formatPrefix(p), via: get('via'), dev: get('dev') };
}

const calico = JSON.parse(read('calico-ipip-cms-daq-workshop-node-0.route-lookups.json')) as Lookups;
const calicoHost = hostWith({ main: calico.routeTable! }, undefined, [['ens3', '188.185.124.201/22']]);

const aws = JSON.parse(read('aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.route-lookups.json')) as Lookups;
const awsHost = hostWith({ main: aws.files!.mainTable, '101': aws.files!.table101, '102': aws.files!.table102 }, aws.files!.ipRule, [['eth0', '172.31.0.225/20']]);

// calico's were captured with `fibmatch` (the matched entry is printed); aws's with plain `ip route get` (the destination is).
const cases: { name: string; host: Host; l: Lookups['lookups'][number]; fibmatch: boolean }[] = [
  ...calico.lookups.map((l) => ({ name: `calico ipip node-0 ${l.destIP}`, host: calicoHost, l, fibmatch: true })),
  ...aws.lookups.map((l) => ({ name: `aws trunk node ${l.destIP} (ip rules, no iif)`, host: awsHost, l, fibmatch: false })),
];

for (const c of cases) {
  void test(`route lookup matches ip route get: ${c.name}`, () => {
    const want = expectedOf(c.l.expected);
    const got = lookupRoute(c.host, { dst: parseIPv4(c.l.destIP)!, mark: c.l.fwmark ? Number(c.l.fwmark) : 0, iif: c.l.iif ?? undefined });
    assert.equal(got.length, 1);
    const g = got[0];
    assert.equal(g.kind, 'unicast');
    if (g.kind !== 'unicast') return;
    if (c.fibmatch) assert.equal(formatPrefix(g.entry.route.dst), want.dst);
    else assert.equal(g.table, 'main');
    assert.equal(g.gateway === undefined ? undefined : formatIPv4(g.gateway), want.via);
    assert.equal(g.dev, want.dev);
  });
}

void test('route lookup: the aws trunk pod is reached through table 101 when the packet comes in on its vlan', () => {
  const got = lookupRoute(awsHost, { dst: parseIPv4('172.31.2.37')!, mark: 0, iif: 'vlan015fbd5badf' });
  assert.equal(got[0].kind, 'unicast');
  assert.equal(got[0].kind === 'unicast' ? got[0].dev : '', 'vlan015fbd5badf');
  assert.equal(got[0].kind === 'unicast' ? got[0].table : '', '101');
});
