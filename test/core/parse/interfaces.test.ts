/** Interface parsers: ip addr (all forms) and ifconfig (both styles); what is read, codes and spans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseInterfaces } from '../../../src/core/parse/interfaces/parse-interfaces';
import { formatIPv4 } from '../../../src/core/net/ipv4';
import type { Interface } from '../../../src/core/model/interfaces';
import { places, text } from './parse-view';
import { SEED_FILE } from '../../fixtures/dirs';

/** An interface as one line: `name[@peer] [master M] [state S] [mtu N] addr/len[ brd B][ secondary][ label L] …`. */
function itfLine(i: Interface): string {
  const addrs = i.addresses.map((a) => [`${formatIPv4(a.ip)}/${a.prefixLen}`, a.broadcast !== undefined ? `brd ${formatIPv4(a.broadcast)}` : '', a.peer !== undefined ? `peer ${formatIPv4(a.peer)}` : '', a.secondary ? 'secondary' : '', a.label ? `label ${a.label}` : ''].filter(Boolean).join(' '));
  return [i.peer ? `${i.name}@${i.peer}` : i.name, i.master ? `master ${i.master}` : '', i.state ? `state ${i.state}` : '', i.mtu ? `mtu ${i.mtu}` : '', i.mac ? `mac ${i.mac}` : '', ...addrs, i.addresses6.length ? `inet6 x${i.addresses6.length}` : '']
    .filter(Boolean).join(' ');
}

const SEED = readFileSync(SEED_FILE, 'utf8').split('\n');

const CASES: { name: string; input: string; format: string; interfaces: string[]; issues?: string[] }[] = [
  {
    name: 'ip addr: veth with @ifN peer, master bridge, secondary with a label, inet6, lifetimes',
    input: text(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '    inet 127.0.0.1/8 scope host lo',
      '       valid_lft forever preferred_lft forever',
      '2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cbr0 state UP group default ',
      '    link/ether 0A:58:0a:f4:00:06 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
      '    inet 10.244.0.6/24 brd 10.244.0.255 scope global eth0',
      '    inet 10.244.0.7/24 scope global secondary eth0:1',
      '    inet6 fe80::c41c:2dff:fe41:4752/64 scope link ',
      '4: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1440 qdisc noqueue state UNKNOWN group default qlen 1000',
      '    link/ipip 0.0.0.0 brd 0.0.0.0',
      '    inet 10.100.155.128/32 brd 10.100.155.128 scope global tunl0',
    ),
    format: 'ip-addr',
    interfaces: [
      'lo state UNKNOWN mtu 65536 mac 00:00:00:00:00:00 127.0.0.1/8',
      'eth0@if5 master cbr0 state UP mtu 1500 mac 0a:58:0a:f4:00:06 10.244.0.6/24 brd 10.244.0.255 10.244.0.7/24 secondary label eth0:1 inet6 x1',
      'tunl0@NONE state UNKNOWN mtu 1440 10.100.155.128/32 brd 10.100.155.128',
    ],
  },
  {
    name: 'ip -o addr: one address per line, grouped by interface',
    input: text(
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '2: eth0    inet 10.0.0.4/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever',
      '2: eth0    inet6 fe80::1/64 scope link \\       valid_lft forever preferred_lft forever',
    ),
    format: 'ip-o-addr',
    interfaces: ['lo 127.0.0.1/8', 'eth0 10.0.0.4/24 brd 10.0.0.255 inet6 x1'],
  },
  {
    name: 'ip -br addr after a prompt, with an ip route section noted and left alone',
    input: text(
      'bash-5.0# ip -br -4 addr show eth0',
      'eth0@if5         UP             10.244.2.8/24 ',
      'lo               UNKNOWN        127.0.0.1/8 ::1/128 ',
      'bash-5.1# ip route',
      'default via 10.244.2.1 dev eth0',
    ),
    format: 'ip-br-addr',
    interfaces: ['eth0@if5 state UP 10.244.2.8/24', 'lo state UNKNOWN 127.0.0.1/8 inet6 x1'],
    issues: ['pasted-other-output@5:1-32'],
  },
  {
    name: 'ip -br link: MAC and flags are not addresses',
    input: text('lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ', 'eth0@if9         UP             8e:c5:8b:36:64:f4 <BROADCAST,MULTICAST,UP,LOWER_UP> '),
    format: 'ip-br-addr',
    interfaces: ['lo state UNKNOWN', 'eth0@if9 state UP'],
  },
  {
    name: 'ifconfig, old style, as the seed pasted it (indentation lost)',
    input: SEED.slice(86, 127).join('\n'),
    format: 'ifconfig',
    interfaces: [
      'cbr0 mtu 1500 mac 0a:58:0a:f4:00:01 10.244.0.1/24 inet6 x1', 'docker0 mtu 1500 mac 02:42:bf:91:4b:33 172.17.0.1/16 inet6 x1',
      'eth0 mtu 1500 mac 00:0d:3a:51:da:e1 10.240.0.4/16 brd 10.240.255.255 inet6 x1', 'lo mtu 65536 127.0.0.1/8 inet6 x1',
      'veth16050088 mtu 1500 mac be:b7:5f:05:e5:8e inet6 x1',
    ],
    issues: ['pasted-elision@41:1-4'],
  },
  {
    name: 'ifconfig, new style, with an alias interface folded into its device',
    input: text(
      'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 9001',
      '        inet 172.31.0.225  netmask 255.255.240.0  broadcast 172.31.15.255',
      '        inet6 fe80::f0:a2ff:fefb:1695  prefixlen 64  scopeid 0x20<link>',
      '        ether 02:f0:a2:fb:16:95  txqueuelen 1000  (Ethernet)',
      '        RX packets 1000  bytes 100 (100.0 B)',
      '',
      'eth0:1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 9001',
      '        inet 172.31.0.226  netmask 255.255.240.0  broadcast 172.31.15.255',
      '',
      'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536',
      '        inet 127.0.0.1  netmask 255.0.0.0',
      '        loop  txqueuelen 1000  (Local Loopback)',
    ),
    format: 'ifconfig',
    interfaces: [
      'eth0 mtu 9001 mac 02:f0:a2:fb:16:95 172.31.0.225/20 brd 172.31.15.255 172.31.0.226/20 brd 172.31.15.255 label eth0:1 inet6 x1',
      'lo mtu 65536 127.0.0.1/8',
    ],
  },
  {
    name: 'bad values: span at the token',
    input: text(
      '2: eth0: <UP> mtu 1500',
      '    inet 10.0.0.300/24 scope global eth0',
      'cbr0 Link encap:Ethernet HWaddr 0a:58:0a:f4:00:01',
    ),
    format: 'ip-addr',
    interfaces: ['eth0 mtu 1500'],
    issues: ['addr-bad-address@2:10-23', 'addr-line-other-format@3:1-50'],
  },
  {
    name: 'ifconfig: bad netmask and missing netmask',
    input: text('eth0 Link encap:Ethernet', 'inet addr:10.0.0.1 Mask:255.0.255.0', 'inet addr:10.0.0.2', 'wibble'),
    format: 'ifconfig',
    interfaces: ['eth0 10.0.0.2/32'],
    issues: ['addr-bad-netmask@2:25-36', 'addr-missing-netmask@3:11-19', 'addr-line-unrecognised@4:1-7'],
  },
];

for (const c of CASES) {
  void test(`interfaces: ${c.name}`, () => {
    const r = parseInterfaces(c.input);
    assert.equal(r.value.format, c.format);
    assert.deepEqual(r.value.interfaces.map(itfLine), c.interfaces);
    assert.deepEqual(places(r.issues), c.issues ?? []);
  });
}

void test('interfaces: an interface spans its block; an address spans its line', () => {
  const input = text('2: eth0: <UP> mtu 1500 state UP', '    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff', '    inet 172.17.0.2/16 scope global eth0');
  const itf = parseInterfaces(input).value.interfaces[0];
  assert.deepEqual([itf.span.line, itf.span.endLine], [1, 3]);
  const a = itf.addresses[0];
  assert.equal(input.slice(a.span.start, a.span.end), 'inet 172.17.0.2/16 scope global eth0');
});
