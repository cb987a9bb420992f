/** Route table parsers: `route -n`/`-e`, `ip route` (all forms), Azure tables; codes, spans and the routes read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseRouteTable, parseRouteTableAs } from '../../../src/core/parse/routes/parse-routes';
import { places, routeLine, text } from './parse-view';
import { SEED_FILE } from '../../fixtures/dirs';

interface Case { name: string; input: string; format?: string; routes: string[]; issues?: string[] }

const ROUTE_N: Case[] = [
  {
    name: 'route -n on a calico node: gateway, connected, host and device-less (blackhole) routes',
    input: text(
      '$ route -n',
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         188.185.124.1   0.0.0.0         UG    100    0        0 ens3',
      '10.100.155.128  0.0.0.0         255.255.255.192 U     0      0        0 *',
      '10.100.155.129  0.0.0.0         255.255.255.255 UH    0      0        0 cali93d4f16e6ec',
    ),
    format: 'route-n',
    routes: ['unicast 0.0.0.0/0 via 188.185.124.1 dev ens3 metric 100', 'blackhole 10.100.155.128/26', 'unicast 10.100.155.129/32 dev cali93d4f16e6ec'],
    issues: ['route-n-assumed-blackhole@5:73-74'],
  },
  {
    name: 'route -e: MSS/Window/irtt columns, `default` and `*` gateway',
    input: text(
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface',
      'default         192.168.65.1    0.0.0.0         UG        0 0          0 eth0',
      '10.1.0.0        *               255.255.0.0     U         0 0          0 cni0',
    ),
    format: 'route-n',
    routes: ['unicast 0.0.0.0/0 via 192.168.65.1 dev eth0', 'unicast 10.1.0.0/16 dev cni0'],
  },
  {
    name: 'the seed, whose paste lost the padding, and a `!` reject route',
    input: text(
      'Destination Gateway Genmask Flags Metric Ref Use Iface',
      '0.0.0.0 10.240.0.1 0.0.0.0 UG 0 0 0 eth0',
      '10.244.0.0 0.0.0.0 255.255.255.0 U 0 0 0 cbr0',
      '10.9.0.0 0.0.0.0 255.255.0.0 !H 0 - 0 -',
    ),
    format: 'route-n',
    routes: ['unicast 0.0.0.0/0 via 10.240.0.1 dev eth0', 'unicast 10.244.0.0/24 dev cbr0', 'unreachable 10.9.0.0/16'],
    issues: ['route-n-not-up@4:30-32'],
  },
  {
    name: 'an IPv6 table after the IPv4 one is skipped as a whole',
    input: text(
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         10.0.0.1        0.0.0.0         UG    0      0        0 eth0',
      'Kernel IPv6 routing table',
      'Destination                    Next Hop                   Flag Met Ref Use If',
      '::1/128                        ::                         U    256 1     0 lo',
    ),
    routes: ['unicast 0.0.0.0/0 via 10.0.0.1 dev eth0'],
    issues: ['route-ipv6-skipped@4:1-6:78'],
  },
  {
    name: 'bad rows: the span is the bad token',
    input: text(
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '10.0.0.0        0.0.0.0         255.0.255.0     U     0      0        0 eth0',
      '10.0.0.300      0.0.0.0         255.0.0.0       U     0      0        0 eth0',
      'link-local      0.0.0.0         255.255.0.0     U     1000   0        0 eth0',
      '10.1.2.3        0.0.0.0         255.255.0.0     U     0      0        0 eth0',
      '10.2.0.0        0.0.0.0         255.255.0.0     U     0      0',
    ),
    routes: ['unicast 10.1.0.0/16 dev eth0'],
    issues: ['route-bad-netmask@2:33-44', 'route-bad-address@3:1-11', 'route-n-name-not-numeric@4:1-11', 'route-host-bits@5:1-9', 'route-n-columns@6:1-63'],
  },
];

const IP_ROUTE: Case[] = [
  {
    name: 'ip route on a calico node: proto bird, blackhole, scope link, src',
    input: text(
      'default via 172.18.0.1 dev eth0 ',
      '10.244.175.0/24 via 172.18.0.4 dev eth0 proto bird ',
      'blackhole 10.244.190.0/24 proto bird ',
      '10.244.190.1 dev calid599cd3d268 scope link ',
      '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3 ',
    ),
    format: 'ip-route',
    routes: [
      'unicast 0.0.0.0/0 via 172.18.0.1 dev eth0', 'unicast 10.244.175.0/24 via 172.18.0.4 dev eth0', 'blackhole 10.244.190.0/24',
      'unicast 10.244.190.1/32 dev calid599cd3d268', 'unicast 172.18.0.0/16 dev eth0 src 172.18.0.3',
    ],
  },
  {
    name: 'onlink, metric, mtu and pref ignored without issue, table all with local/broadcast types',
    input: text(
      '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ',
      'default via 10.208.197.1 dev ens3 proto dhcp src 10.208.197.10 metric 100 mtu lock 1400 pref medium',
      'local 10.0.0.5 dev eth0 table local proto kernel scope host src 10.0.0.5 ',
      'broadcast 10.0.0.255 dev eth0 table 255 proto kernel scope link src 10.0.0.5 ',
      'unreachable 10.99.0.0/16 metric 5',
      'prohibit 10.98.0.0/16',
      'throw 10.97.0.0/16 table 101',
    ),
    format: 'ip-route',
    routes: [
      'unicast 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink', 'unicast 0.0.0.0/0 via 10.208.197.1 dev ens3 src 10.208.197.10 metric 100',
      'local 10.0.0.5/32 dev eth0 src 10.0.0.5 table local', 'broadcast 10.0.0.255/32 dev eth0 src 10.0.0.5 table local',
      'unreachable 10.99.0.0/16 metric 5', 'prohibit 10.98.0.0/16', 'throw 10.97.0.0/16 table 101',
    ],
  },
  {
    name: 'multipath: nexthop continuation lines and the ip -o one-line form',
    input: text(
      'default proto static metric 20 ',
      '\tnexthop via 10.0.0.1 dev eth0 weight 1 ',
      '\tnexthop via 10.0.1.1 dev eth1 weight 3 ',
      '10.5.0.0/16 nexthop via 10.0.0.1 dev eth0 weight 2 nexthop via 10.0.1.1 dev eth1 weight 2',
    ),
    routes: [
      'unicast 0.0.0.0/0 via 10.0.0.1 dev eth0 weight 1 | via 10.0.1.1 dev eth1 weight 3 metric 20',
      'unicast 10.5.0.0/16 via 10.0.0.1 dev eth0 weight 2 | via 10.0.1.1 dev eth1 weight 2',
    ],
  },
  {
    name: 'IPv6 routes are skipped with an info; ip route get output with its cache line',
    input: text(
      'fe80::/64 dev eth0 proto kernel metric 256 pref medium',
      'default via fe80::1 dev eth0 metric 1024',
      '172.31.2.37 dev eth0 src 172.31.0.225 uid 0 ',
      '    cache ',
    ),
    routes: ['unicast 172.31.2.37/32 dev eth0 src 172.31.0.225'],
    issues: ['route-ipv6-skipped@1:1-55', 'route-ipv6-skipped@2:1-41'],
  },
  {
    name: 'bad tokens: prefix, gateway, metric, unknown attribute, missing next hop',
    input: text(
      '10.0.0.0/33 dev eth0',
      '10.1.0.0/16 via 10.0.0.256 dev eth0',
      '10.2.0.0/16 dev eth0 metric high',
      '10.3.0.0/16 dev eth0 frobnicate',
      '10.4.0.0/16 proto static',
      'docker exec -it k8s-guide-worker2 bash',
    ),
    routes: ['unicast 10.3.0.0/16 dev eth0'],
    issues: [
      'route-bad-prefix@1:1-12', 'route-bad-address@2:17-27', 'route-bad-metric@3:29-33', 'ip-route-unknown-attribute@4:22-32',
      'ip-route-no-nexthop@5:1-25', 'route-line-unrecognised@6:1-39',
    ],
  },
  {
    name: 'an ip addr block pasted before ip route: left to its parser as one note',
    input: text(
      'bash-5.0# ip -4 -br addr show dev eth0',
      'eth0@if2         UP             10.244.190.5/32 ',
      '',
      'bash-5.0# ip route',
      'default via 169.254.1.1 dev eth0 ',
      '169.254.1.1 dev eth0 scope link ',
    ),
    routes: ['unicast 0.0.0.0/0 via 169.254.1.1 dev eth0', 'unicast 169.254.1.1/32 dev eth0'],
    issues: ['pasted-other-output@2:1-49'],
  },
  {
    name: 'ip addr lines without prompts are recognised and noted, not misread',
    input: text(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
      '    inet 127.0.0.1/8 scope host lo',
      'default via 10.0.0.1 dev eth0',
    ),
    routes: ['unicast 0.0.0.0/0 via 10.0.0.1 dev eth0'],
    issues: ['route-line-other-format@1:1-2:35'],
  },
];

const AZURE: Case[] = [
  {
    name: 'the seed\'s gateway table (portal form)',
    input: readFileSync(SEED_FILE, 'utf8').split('\n').slice(75, 80).join('\n'),
    format: 'azure-route-table',
    routes: [
      'unicast 10.244.0.0/24 via 10.240.0.4 cloud VirtualAppliance name k8s-agent-154d19d7-0',
      'unicast 10.244.1.0/24 via 10.240.0.5 cloud VirtualAppliance name k8s-agent-154d19d7-1',
      'unicast 10.244.2.0/24 via 10.240.255.5 cloud VirtualAppliance name k8s-master-154d19d7-0',
    ],
  },
  {
    name: 'az network route-table route list -o table: columns from the dashed underline, hop types without address',
    input: text(
      'AddressPrefix    HasBgpOverride    Name         NextHopIpAddress    NextHopType       ProvisioningState    ResourceGroup',
      '---------------  ----------------  -----------  ------------------  ----------------  -------------------  ---------------',
      '10.244.0.0/24    False             agent-0      10.240.0.4          VirtualAppliance  Succeeded            rg-k8s',
      '0.0.0.0/0        False             to-internet                      Internet          Succeeded            rg-k8s',
      '10.99.0.0/16     False             drop                             None              Succeeded            rg-k8s',
      '10.98.0.0/16     False             odd                              Teleport          Succeeded            rg-k8s',
      '10.97.0.0/16     False             noaddr                           VirtualAppliance  Succeeded            rg-k8s',
    ),
    format: 'azure-route-table',
    routes: [
      'unicast 10.244.0.0/24 via 10.240.0.4 cloud VirtualAppliance name agent-0', 'unicast 0.0.0.0/0 cloud Internet name to-internet',
      'blackhole 10.99.0.0/16 cloud None name drop',
    ],
    issues: ['azure-route-unknown-next-hop-type@6:69-77', 'azure-route-missing-next-hop@7:69-85'],
  },
  {
    name: 'portal form with a bad prefix',
    input: text('NAME | ADDRESS PREFIX | NEXT HOP |', '---|---|---|', 'a | 10.244.0.0/40 | 10.240.0.4 |', 'b | 10.244.1.0/24 | VirtualAppliance |'),
    routes: [],
    issues: ['route-bad-prefix@3:5-18', 'azure-route-missing-next-hop@4:21-37'],
  },
];

for (const [group, cases] of [['route -n', ROUTE_N], ['ip route', IP_ROUTE], ['azure', AZURE]] as const) {
  for (const c of cases) {
    void test(`${group}: ${c.name}`, () => {
      const r = parseRouteTable(c.input);
      assert.deepEqual(r.value.routes.map(routeLine), c.routes);
      assert.deepEqual(places(r.issues), c.issues ?? []);
      if (c.format) assert.equal(r.value.format, c.format);
    });
  }
}

void test('every route keeps its raw line and a span on it', () => {
  const input = text('# ip route', 'default via 10.0.0.1 dev eth0', '  ', '10.1.0.0/16 dev eth1 scope link');
  const r = parseRouteTable(input);
  assert.deepEqual(r.value.routes.map((x) => [x.raw, x.span.line, x.span.column, x.span.endColumn]), [
    ['default via 10.0.0.1 dev eth0', 2, 1, 30], ['10.1.0.0/16 dev eth1 scope link', 4, 1, 32],
  ]);
  assert.equal(input.slice(r.value.routes[1].span.start, r.value.routes[1].span.end), '10.1.0.0/16 dev eth1 scope link');
});

void test('ip route show table N: the caller names the table the lines do not', () => {
  const r = parseRouteTableAs('default via 172.31.0.1 dev vlan.eth.1 \n172.31.0.1 dev vlan.eth.1 scope link \n', 'ip-route', { table: '101' });
  assert.deepEqual(r.value.routes.map((x) => x.table), ['101', '101']);
});

void test('ip route show table N sections: each prompt names the table of the lines under it', () => {
  const r = parseRouteTable(text(
    '# ip route', 'default via 172.31.0.1 dev eth0', '# ip route show table 101', 'default via 172.31.0.1 dev vlan.eth.1',
    '# ip route show table 102', 'default via 172.31.0.1 dev vlan.eth.2', '# ip route show table all', 'local 10.0.0.5 dev eth0 table local', '10.0.0.0/24 dev eth0',
  ));
  assert.deepEqual(r.value.routes.map((x) => `${x.table} ${x.nexthops[0]?.dev ?? ''}`), ['main eth0', '101 vlan.eth.1', '102 vlan.eth.2', 'local eth0', 'main eth0']);
});

void test('netstat -rn is named as such', () => {
  const r = parseRouteTable(text('$ netstat -rn', 'Kernel IP routing table', 'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface', '0.0.0.0         10.0.0.1        0.0.0.0         UG        0 0          0 eth0'));
  assert.equal(r.value.format, 'netstat-rn');
  assert.equal(r.value.routes.length, 1);
});

void test('`#` note lines written above a paste are not route lines', () => {
  const r = parseRouteTable(text('# k8s-agent-0: `route -n` on the node.', '# route -n', 'Kernel IP routing table', 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface', '0.0.0.0         10.240.0.1      0.0.0.0         UG    0      0        0 eth0'));
  assert.deepEqual(r.issues.map((i) => i.code), ['pasted-prompt']);
  assert.equal(r.value.routes.length, 1);
});

void test('route -n under a damaged header (`Flags}`) is an issue on each row, not a crash', () => {
  const r = parseRouteTable(text('Kernel IP routing table', 'Destination     Gateway         Genmask         Flags}  Metric Ref    Use Iface', '0.0.0.0         10.240.0.1      0.0.0.0         UG    0      0        0 eth0'));
  assert.deepEqual(r.value.routes, []);
  const row = r.issues.filter((i) => i.code === 'route-n-columns');
  assert.equal(row.length, 1, JSON.stringify(r.issues));
  assert.equal(row[0].span.line, 3);
  assert.match(row[0].message, /no Flags column/);
});

