/** ipvsadm -Ln listings: virtual services and real servers; codes and spans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpvsadm, type IpvsVirtualService } from '../../../src/core/parse/ipvs/parse-ipvsadm';
import { formatIPv4 } from '../../../src/core/net/ipv4';
import { places, text } from './parse-view';

function svcLine(s: IpvsVirtualService): string {
  const head = s.protocol === 'FWM' ? `FWM ${s.fwmark}` : `${s.protocol} ${formatIPv4(s.addr!)}:${s.port}`;
  return [head, s.scheduler, s.persistent !== undefined ? `persistent ${s.persistent}` : '', ...s.flags, ...s.realServers.map((r) => `-> ${formatIPv4(r.addr)}:${r.port} ${r.forward} w${r.weight} ${r.activeConn}/${r.inactConn}`)]
    .filter(Boolean).join(' ');
}

const CASES: { name: string; input: string; services: string[]; issues?: string[] }[] = [
  {
    name: 'kube-proxy IPVS mode: persistence, several real servers, UDP',
    input: text(
      ' # ipvsadm -ln',
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.0.0.1:443 rr persistent 10800',
      '  -> 192.168.0.1:6443             Masq    1      1          0',
      'UDP  10.96.0.10:53 rr',
      '  -> 10.244.0.3:53                Masq    1      0          8',
      '  -> 10.244.0.4:53                Route   0      0          8',
      'FWM  1 wrr',
      '  -> 10.244.0.5:80                Masq    2      0          0',
    ),
    services: [
      'TCP 10.0.0.1:443 rr persistent 10800 -> 192.168.0.1:6443 Masq w1 1/0',
      'UDP 10.96.0.10:53 rr -> 10.244.0.3:53 Masq w1 0/8 -> 10.244.0.4:53 Route w0 0/8',
      'FWM 1 wrr -> 10.244.0.5:80 Masq w2 0/0',
    ],
  },
  {
    name: 'elided listing; names instead of numbers; orphan real server; IPv6 skipped',
    input: text(
      '  -> 10.244.1.6:80                Masq    1      0          0',
      '...',
      'TCP  kubernetes:https rr',
      '  -> 10.244.1.7:80                Masq    1      0          0',
      'TCP  [fd00::1]:80 rr',
      'TCP  198.51.100.0:80 rr',
      '  -> 10.244.2.5:http              Masq    1      0          0',
      '  -> 10.244.2.6:80                Masq',
    ),
    services: ['TCP 198.51.100.0:80 rr'],
    issues: ['ipvs-orphan-real-server@1:3-62', 'pasted-elision@2:1-4', 'ipvs-bad-address@3:6-22', 'ipvs-orphan-real-server@4:3-62', 'ipvs-ipv6-skipped@5:1-21', 'ipvs-bad-address@7:6-21', 'ipvs-bad-real-server@8:3-39'],
  },
];

for (const c of CASES) {
  void test(`ipvsadm: ${c.name}`, () => {
    const r = parseIpvsadm(c.input);
    assert.deepEqual(r.value.services.map(svcLine), c.services);
    assert.deepEqual(places(r.issues), c.issues ?? []);
  });
}

void test('ipvsadm: a service spans its real servers; each keeps its raw line', () => {
  const input = text('TCP  10.96.0.10:53 rr', '  -> 10.244.0.3:53                Masq    1      0          0');
  const s = parseIpvsadm(input).value.services[0];
  assert.deepEqual([s.span.line, s.span.endLine], [1, 2]);
  assert.equal(s.realServers[0].raw, input.split('\n')[1]);
});
