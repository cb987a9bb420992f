/**
 * Prefixes of both families: parsing (CIDR, IPv4 netmasks, bare addresses),
 * containment and overlap never crossing families, the masks, and longest-prefix
 * match — each checked against a brute-force reading over bit strings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAddr, type Addr } from '../../../src/core/net/addr';
import {
  ANY_V4, ANY_V6, broadcastOf, contains, covers, firstHost, formatPrefix, isSingleAddr, lenOfNetmask, maskAddr, netmaskOf, overlaps, parseCidr, parsePrefix, prefix,
} from '../../../src/core/net/prefix';
import { PrefixMap } from '../../../src/core/net/prefix-map';

const A = (s: string): Addr => {
  const a = parseAddr(s);
  assert.ok(a, s);
  return a;
};
const P = (s: string) => {
  const p = parseCidr(s);
  assert.ok(p, s);
  return p;
};

test('parsePrefix: CIDR of both families, IPv4 netmasks, bare addresses, host bits', () => {
  const cases: [string, string, boolean][] = [
    ['10.244.0.0/16', '10.244.0.0/16', false],
    ['10.244.0.1/24', '10.244.0.0/24', true],
    ['10.0.0.0/255.0.0.0', '10.0.0.0/8', false],
    ['10.0.0.1', '10.0.0.1/32', false],
    ['0.0.0.0/0', '0.0.0.0/0', false],
    ['fd00:10:244::5/64', 'fd00:10:244::/64', true],
    ['fd00:10:244::/56', 'fd00:10:244::/56', false],
    ['2001:db8::1', '2001:db8::1/128', false],
    ['::/0', '::/0', false],
    ['fe80::1ff:fe23:4567:890a/10', 'fe80::/10', true],
    ['2001:db8:ffff:ffff::/33', '2001:db8:8000::/33', true],
  ];
  for (const [s, text, hostBits] of cases) {
    const p = parsePrefix(s);
    assert.ok(p, s);
    assert.equal(formatPrefix(p), text, s);
    assert.equal(p.hostBits, hostBits, s);
    assert.equal(p.ip, A(s.split('/')[0]));
  }
  for (const s of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/255.0.255.0', 'fd00::/129', 'fd00::/ffff::', '10.0.0.0/0xff000000', 'x/8', '10.0.0/8']) {
    assert.equal(parsePrefix(s), undefined, s);
  }
});

test('netmasks: length ↔ mask, holes refused, BSD hex accepted', () => {
  assert.equal(String(netmaskOf(24)), '255.255.255.0');
  assert.equal(String(netmaskOf(0)), '0.0.0.0');
  assert.equal(String(netmaskOf(32)), '255.255.255.255');
  assert.equal(lenOfNetmask('255.255.255.0'), 24);
  assert.equal(lenOfNetmask('255.255.255.255'), 32);
  assert.equal(lenOfNetmask('0.0.0.0'), 0);
  assert.equal(lenOfNetmask('0xffff0000'), 16);
  assert.equal(lenOfNetmask('255.0.255.0'), undefined);
  assert.equal(lenOfNetmask('0xffff00'), undefined);
  for (let l = 0; l <= 32; l++) assert.equal(lenOfNetmask(String(netmaskOf(l))), l);
});

test('contains / covers / overlaps, and never across families', () => {
  assert.ok(contains(P('10.244.0.0/16'), A('10.244.3.7')));
  assert.ok(!contains(P('10.244.0.0/16'), A('10.245.0.1')));
  assert.ok(contains(ANY_V4, A('1.2.3.4')));
  assert.ok(!contains(ANY_V4, A('::1')));
  assert.ok(contains(ANY_V6, A('fd00::1')));
  assert.ok(!contains(ANY_V6, A('10.0.0.1')));
  assert.ok(!contains(P('::/96'), A('10.0.0.1')), 'an IPv4 address is not in ::/96');
  assert.ok(contains(P('fd00:10:244::/64'), A('fd00:10:244::5')));
  assert.ok(contains(P('fd00:10:244::/64'), A('fd00:10:244:0:ffff:ffff:ffff:ffff')));
  assert.ok(!contains(P('fd00:10:244::/64'), A('fd00:10:244:1::')));
  assert.ok(contains(P('2001:db8::1/128'), A('2001:db8::1')));
  assert.ok(!contains(P('2001:db8::1/128'), A('2001:db8::2')));
  assert.ok(covers(P('10.0.0.0/8'), P('10.244.0.0/16')));
  assert.ok(!covers(P('10.244.0.0/16'), P('10.0.0.0/8')));
  assert.ok(overlaps(P('10.244.0.0/16'), P('10.0.0.0/8')));
  assert.ok(!overlaps(P('10.244.0.0/16'), P('10.245.0.0/16')));
  assert.ok(overlaps(P('fd00::/8'), P('fd00:10::/32')));
  assert.ok(!overlaps(P('::/0'), P('0.0.0.0/0')));
  assert.ok(isSingleAddr(P('10.0.0.1/32')) && isSingleAddr(P('fd00::1/128')) && !isSingleAddr(P('fd00::/127')));
});

test('first host and broadcast', () => {
  assert.equal(String(firstHost(P('10.244.1.0/24'))), '10.244.1.1');
  assert.equal(String(firstHost(P('fd00:10:244:1::/64'))), 'fd00:10:244:1::1');
  assert.equal(String(broadcastOf(P('10.244.1.0/24'))), '10.244.1.255');
  assert.equal(String(broadcastOf(P('10.0.0.0/8'))), '10.255.255.255');
  assert.equal(broadcastOf(P('fd00::/64')), undefined);
});

/** The address's bits as a string of 0/1, the plainest reading of a prefix. */
function bitString(a: Addr): string {
  const text = String(a);
  if (a.family === 'ipv4') return text.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  const full = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const [head, tail = ''] = full.split('::');
  const hs = head ? head.split(':') : [];
  const ts = tail ? tail.split(':') : [];
  const groups = full.includes('::') ? [...hs, ...Array<string>(8 - hs.length - ts.length).fill('0'), ...ts] : hs;
  return groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((q) => A(q.join('.')));
const v6 = fc.array(fc.oneof(fc.constant(0), fc.constant(0xfd00), fc.nat(0xffff)), { minLength: 8, maxLength: 8 }).map((g) => A(g.map((x) => x.toString(16)).join(':')));
const addrAndLen = fc.oneof(v4.chain((a) => fc.tuple(fc.constant(a), fc.nat(32))), v6.chain((a) => fc.tuple(fc.constant(a), fc.nat(128))));

test('prefix arithmetic agrees with bit strings: masking, containment', () => {
  fc.assert(fc.property(addrAndLen, fc.oneof(v4, v6), ([a, len], b) => {
    const p = prefix(a, len);
    const bits = bitString(a);
    assert.equal(bitString(p.addr), bits.slice(0, len) + '0'.repeat(bits.length - len));
    assert.equal(maskAddr(a, len), p.addr);
    const inside = b.family === a.family && bitString(b).slice(0, len) === bits.slice(0, len);
    assert.equal(contains(p, b), inside);
    assert.ok(contains(p, a));
  }), { numRuns: 3000 });
});

test('longest-prefix match for both families equals a scan for the longest covering prefix', () => {
  const routes = ['0.0.0.0/0', '10.0.0.0/8', '10.244.0.0/16', '10.244.1.0/24', '10.244.1.7/32', '::/0', 'fd00::/8', 'fd00:10:244::/48', 'fd00:10:244:1::/64', 'fd00:10:244:1::7/128'];
  const m = new PrefixMap<string>();
  for (const r of routes) m.set(P(r), r);
  assert.equal(m.size, routes.length);
  const want: [string, string][] = [
    ['10.244.1.7', '10.244.1.7/32'], ['10.244.1.8', '10.244.1.0/24'], ['10.244.2.1', '10.244.0.0/16'], ['10.1.1.1', '10.0.0.0/8'], ['8.8.8.8', '0.0.0.0/0'],
    ['fd00:10:244:1::7', 'fd00:10:244:1::7/128'], ['fd00:10:244:1::8', 'fd00:10:244:1::/64'], ['fd00:10:244:2::1', 'fd00:10:244::/48'], ['fd12::1', 'fd00::/8'], ['2001:db8::1', '::/0'],
  ];
  for (const [a, r] of want) {
    assert.equal(m.lookup(A(a))?.value, r, a);
    assert.deepEqual([...m.matches(A(a))].map((x) => x.value), routes.filter((x) => contains(P(x), A(a))).sort((x, y) => P(y).len - P(x).len), a);
  }
  assert.equal(m.get(P('10.244.1.0/24')), '10.244.1.0/24');
  assert.equal(m.get(P('10.244.1.0/25')), undefined);
  const v4only = new PrefixMap<number>().set(P('10.0.0.0/8'), 1);
  assert.equal(v4only.lookup(A('::ffff:10.0.0.1')), undefined, 'an IPv4-mapped IPv6 address is not looked up in the IPv4 table');

  fc.assert(fc.property(fc.array(addrAndLen, { maxLength: 30 }), fc.oneof(v4, v6), (entries, probe) => {
    const map = new PrefixMap<string>();
    const ps = entries.map(([a, l]) => prefix(a, l));
    for (const p of ps) map.set(p, formatPrefix(p));
    const scan = ps.filter((p) => contains(p, probe)).sort((x, y) => y.len - x.len)[0];
    assert.equal(map.lookup(probe)?.value, scan ? formatPrefix(scan) : undefined);
  }), { numRuns: 1000 });
});
