/** `ip rule` parser: selectors, actions, codes and spans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpRule } from '../../../src/core/parse/routes/parse-ip-rule';
import { formatPrefix } from '../../../src/core/net/ipv4';
import type { PolicyRule } from '../../../src/core/model/routes';
import { places, text } from './parse-view';

/** A rule as one line, in ip-rule(8) words. */
function ruleLine(r: PolicyRule): string {
  const a = r.action.kind === 'lookup' ? `lookup ${r.action.table}` : r.action.kind === 'goto' ? `goto ${r.action.target}` : r.action.kind;
  return [
    `${r.priority}:`, r.not ? 'not' : '', r.from ? `from ${formatPrefix(r.from)}` : '', r.to ? `to ${formatPrefix(r.to)}` : '',
    r.iif ? `iif ${r.iif}` : '', r.oif ? `oif ${r.oif}` : '', r.fwmark ? `fwmark 0x${r.fwmark.value.toString(16)}/0x${r.fwmark.mask.toString(16)}` : '',
    r.tos !== undefined ? `tos ${r.tos}` : '', a,
  ].filter(Boolean).join(' ');
}

const CASES: { name: string; input: string; rules: string[]; issues?: string[] }[] = [
  {
    name: 'the default policy, tab-separated as ip prints it',
    input: text('0:\tfrom all lookup local', '32766:\tfrom all lookup main', '32767:\tfrom all lookup default'),
    rules: ['0: lookup local', '32766: lookup main', '32767: lookup default'],
  },
  {
    name: 'AWS VPC CNI branch ENI rules: iif, to, fwmark with mask',
    input: text(
      '10:     from all iif vlan.eth.2 lookup 102',
      '512:    from all to 172.31.3.129 lookup main',
      '1024:   from all fwmark 0x80/0x80 lookup main',
    ),
    rules: ['10: iif vlan.eth.2 lookup 102', '512: to 172.31.3.129/32 lookup main', '1024: fwmark 0x80/0x80 lookup main'],
  },
  {
    name: 'not, oif [detached], terminal actions, goto, nop, numeric table names',
    input: text(
      '100:\tnot from 10.0.0.0/8 lookup 254',
      '200:\tfrom all oif wg0 [detached] lookup 51820',
      '300:\tfrom 192.168.0.0/16 blackhole',
      '301:\tfrom all to 10.9.0.0/16 unreachable',
      '302:\tfrom all tos 0x10 prohibit',
      '400:\tfrom all fwmark 0x1 goto 32766',
      '500:\tfrom all nop',
    ),
    rules: [
      '100: not from 10.0.0.0/8 lookup main', '200: oif wg0 lookup 51820', '300: from 192.168.0.0/16 blackhole', '301: to 10.9.0.0/16 unreachable',
      '302: tos 16 prohibit', '400: fwmark 0x1/0xffffffff goto 32766', '500: nop',
    ],
  },
  {
    name: 'bad lines: span at the bad token; IPv6 rules skipped',
    input: text(
      '10:\tfrom 10.0.0.0/40 lookup main',
      '11:\tfrom all fwmark 0xzz lookup main',
      '12:\tfrom all',
      '13:\tfrom all lookup main wobble',
      'from all lookup main',
      '14:\tfrom fe80::/64 lookup main',
    ),
    rules: ['13: lookup main'],
    issues: ['ip-rule-bad-prefix@1:10-21', 'ip-rule-bad-fwmark@2:21-25', 'ip-rule-no-action@3:1-13', 'ip-rule-unknown-selector@4:26-32', 'ip-rule-line-unrecognised@5:1-21', 'ip-rule-ipv6-skipped@6:1-31'],
  },
];

for (const c of CASES) {
  void test(`ip rule: ${c.name}`, () => {
    const r = parseIpRule(c.input);
    assert.deepEqual(r.value.map(ruleLine), c.rules);
    assert.deepEqual(places(r.issues), c.issues ?? []);
  });
}

void test('ip rule: each rule keeps its raw line and span', () => {
  const r = parseIpRule('# ip rule\n10:\tfrom all lookup local\n');
  assert.equal(r.value[0].raw, '10:\tfrom all lookup local');
  assert.deepEqual([r.value[0].span.line, r.value[0].span.column, r.value[0].span.endColumn], [2, 1, 26]);
});
