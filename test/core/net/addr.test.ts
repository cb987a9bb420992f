/**
 * The address type: parse and canonical text for both families (RFC 5952 for
 * IPv6, examples from its sections 4 and 5), interning (equal addresses are one
 * object, so `===` and Map keys work), ordering, the special-address tests, and
 * round trips against Node's own IPv6 parser as an independent judge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv6, SocketAddress } from 'node:net';
import fc from 'fast-check';
import {
  addrPlus, compareAddr, isLinkLocal, isLoopback, isMulticast, isUnspecified, parseAddr, parseIPv4, parseIPv6, unmap,
  LOOPBACK_V4, LOOPBACK_V6, UNSPECIFIED_V6,
} from '../../../src/core/net/addr';

test('IPv4: dotted quads parse, anything else does not', () => {
  for (const [s, text] of [['10.244.0.5', '10.244.0.5'], ['0.0.0.0', '0.0.0.0'], ['255.255.255.255', '255.255.255.255'], ['010.1.1.1', '10.1.1.1']]) {
    const a = parseIPv4(s);
    assert.ok(a, s);
    assert.equal(a.family, 'ipv4');
    assert.equal(a.bitLen, 32);
    assert.equal(String(a), text);
  }
  for (const s of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '1.2.3.', 'a.b.c.d', '1.2.3.4/8', ' 1.2.3.4', '1234.1.1.1']) {
    assert.equal(parseIPv4(s), undefined, s);
    assert.equal(parseAddr(s), undefined, s);
  }
});

test('IPv6: RFC 5952 canonical text (lower case, no leading zeros, longest zero run as ::, single zero kept)', () => {
  const cases: [string, string][] = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:DB8::AAAA', '2001:db8::aaaa'],
    ['FD00:10:244:0:0:0:0:5', 'fd00:10:244::5'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['fe80::', 'fe80::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['::ffff:a00:1', '::ffff:10.0.0.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
  ];
  for (const [s, text] of cases) {
    const a = parseIPv6(s);
    assert.ok(a, s);
    assert.equal(a.family, 'ipv6');
    assert.equal(a.bitLen, 128);
    assert.equal(String(a), text, s);
    assert.equal(parseAddr(s), a, s);
    assert.equal(JSON.stringify({ a }), `{"a":"${text}"}`);
  }
  for (const s of ['', ':', ':::', '1:::2', '::1::2', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', ':1::', '1::2:', 'fe80::1%eth0', '1.2.3.4::', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', '::ffff:256.0.0.1']) {
    assert.equal(parseIPv6(s), undefined, s);
  }
});

test('addresses are interned: equal text gives the same object, usable as a Map key', () => {
  assert.equal(parseAddr('10.0.0.1'), parseAddr('10.0.0.1'));
  assert.equal(parseAddr('2001:db8::1'), parseAddr('2001:0DB8:0:0::0:1'));
  assert.notEqual(parseAddr('10.0.0.1'), parseAddr('10.0.0.2'));
  assert.notEqual(parseAddr('::ffff:10.0.0.1'), parseAddr('10.0.0.1'));
  const owners = new Map([[parseAddr('fd00:10:244::5'), 'pod-a'], [parseAddr('10.244.0.5'), 'pod-a-v4']]);
  assert.equal(owners.get(parseAddr('fd00:10:244:0::5')), 'pod-a');
  assert.equal(owners.get(parseAddr('10.244.0.5')), 'pod-a-v4');
  assert.equal(parseAddr('127.0.0.1'), LOOPBACK_V4);
  assert.equal(parseAddr('::1'), LOOPBACK_V6);
});

test('ordering: IPv4 before IPv6, then by value', () => {
  const texts = ['fd00::1', '10.0.0.2', '::', '10.0.0.10', '9.255.255.255', 'fd00::', '255.255.255.255', 'ffff::'];
  const sorted = texts.map((s) => parseAddr(s)!).sort(compareAddr).map(String);
  assert.deepEqual(sorted, ['9.255.255.255', '10.0.0.2', '10.0.0.10', '255.255.255.255', '::', 'fd00::', 'fd00::1', 'ffff::']);
  assert.equal(compareAddr(parseAddr('10.0.0.1')!, parseAddr('10.0.0.1')!), 0);
});

test('addrPlus steps through the space and stops at its ends', () => {
  assert.equal(String(addrPlus(parseAddr('10.96.0.0')!, 10)), '10.96.0.10');
  assert.equal(String(addrPlus(parseAddr('10.0.0.255')!, 1)), '10.0.1.0');
  assert.equal(addrPlus(parseAddr('255.255.255.255')!, 1), undefined);
  assert.equal(addrPlus(parseAddr('0.0.0.0')!, -1), undefined);
  assert.equal(String(addrPlus(parseAddr('fd00::ffff:ffff')!, 1)), 'fd00::1:0:0');
  assert.equal(String(addrPlus(parseAddr('fd00::1:0:0')!, -1)), 'fd00::ffff:ffff');
  assert.equal(addrPlus(parseAddr('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')!, 1), undefined);
  assert.equal(addrPlus(UNSPECIFIED_V6, -1), undefined);
});

test('special addresses of both families', () => {
  const table: [string, { loopback?: true; linkLocal?: true; unspecified?: true; multicast?: true }][] = [
    ['127.0.0.1', { loopback: true }],
    ['127.255.0.9', { loopback: true }],
    ['128.0.0.1', {}],
    ['::1', { loopback: true }],
    ['::2', {}],
    ['169.254.169.254', { linkLocal: true }],
    ['169.255.0.1', {}],
    ['fe80::1', { linkLocal: true }],
    ['febf:ffff::1', { linkLocal: true }],
    ['fec0::1', {}],
    ['0.0.0.0', { unspecified: true }],
    ['::', { unspecified: true }],
    ['224.0.0.251', { multicast: true }],
    ['239.255.255.255', { multicast: true }],
    ['ff02::1', { multicast: true }],
    ['10.244.0.5', {}],
    ['fd00:10:244::5', {}],
  ];
  for (const [s, want] of table) {
    const a = parseAddr(s)!;
    assert.equal(isLoopback(a), want.loopback ?? false, `${s} loopback`);
    assert.equal(isLinkLocal(a), want.linkLocal ?? false, `${s} link-local`);
    assert.equal(isUnspecified(a), want.unspecified ?? false, `${s} unspecified`);
    assert.equal(isMulticast(a), want.multicast ?? false, `${s} multicast`);
  }
  assert.equal(unmap(parseAddr('::ffff:10.0.0.1')!), parseAddr('10.0.0.1'));
  assert.equal(unmap(parseAddr('fd00::1')!), parseAddr('fd00::1'));
});

/** Eight random 16-bit groups, written with random case, leading zeros and `::` where a zero run allows it. */
const anyV6Text = fc.tuple(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }), fc.boolean(), fc.boolean()).map(([g, upper, pad]) => {
  const t = g.map((x) => (pad ? x.toString(16).padStart(4, '0') : x.toString(16)));
  const s = t.join(':');
  return upper ? s.toUpperCase() : s;
});

test('IPv6 round trip against Node: the canonical text is what node:net reads back to the same address, and re-parses to the same object', () => {
  fc.assert(fc.property(anyV6Text, (s) => {
    const a = parseIPv6(s);
    assert.ok(a, s);
    const text = String(a);
    assert.ok(isIPv6(text), text);
    // Node's own normalisation (via a SocketAddress) names the same address.
    assert.equal(parseIPv6(new SocketAddress({ address: s, family: 'ipv6' }).address), a);
    assert.equal(parseIPv6(text), a);
    // Canonical form: lower case, no group with leading zeros, at most one '::'.
    assert.equal(text, text.toLowerCase());
    assert.ok(!/(^|:)0[0-9a-f]/.test(text), text);
    assert.ok(text.split('::').length <= 2, text);
  }), { numRuns: 2000 });
});

test('IPv4 round trip: every 32-bit value formats and parses back to itself', () => {
  fc.assert(fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), (q) => {
    const s = q.join('.');
    const a = parseAddr(s);
    assert.ok(a);
    assert.equal(String(a), s);
  }), { numRuns: 2000 });
});
