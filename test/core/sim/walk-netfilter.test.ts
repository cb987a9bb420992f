import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIPv4 } from '../../../src/core/net/ipv4';
import { markOp } from '../../../src/core/sim/apply-target';
import { walkTable } from '../../../src/core/sim/walk-netfilter';
import { nextCandidate } from '../../../src/core/sim/rule-index';
import { evalRule, prefixOf } from '../../../src/core/sim/eval-match';
import { contains } from '../../../src/core/net/ipv4';
import type { Chain, Rule } from '../../../src/core/model/netfilter';
import type { MatchContext } from '../../../src/core/sim/match-context';
import type { Walk } from '../../../src/core/sim/walk-state';
import { toArray } from '../../../src/core/sim/walk-state';
import { dedent, hostOf } from './fixtures';

const ip = (s: string): number => parseIPv4(s)!;

void test('mark operations (iptables-extensions MARK semantics)', () => {
  const table: [string, string, number, number][] = [
    ['--set-xmark', '0x4000/0x4000', 0, 0x4000],
    ['--set-xmark', '0x1/0xf', 0x1234, 0x1231],
    ['--set-xmark', '0x8000', 0x4000, 0x8000],
    ['--or-mark', '0x4000', 0x1, 0x4001],
    ['--xor-mark', '0x4000', 0x4001, 0x1],
    ['--and-mark', '0xff', 0x1234, 0x34],
    ['--set-mark', '0x10/0xf0', 0xff, 0x1f],
    ['--set-mark', '0x10', 0xff, 0x10],
  ];
  for (const [op, arg, cur, want] of table) assert.equal(markOp(op, arg, cur), want, `${op} ${arg} on ${cur}`);
});

function walkOf(pkt: Partial<Walk['pkt']> = {}): Walk {
  return { pkt: { src: ip('10.244.0.6'), dst: ip('10.0.0.10'), sport: 40000, dport: 53, proto: 'udp', mark: 0, ttl: 64, ...pkt }, prob: 1, hops: undefined, assumptions: undefined, ct: new Map(), visits: 0, reply: false };
}

function run(rules: string, hook: 'OUTPUT' | 'PREROUTING' | 'FORWARD' | 'POSTROUTING' = 'OUTPUT', table = 'filter', pkt: Partial<Walk['pkt']> = {}, io: Partial<MatchContext> = {}, ipsets?: Record<string, string[]>) {
  const h = hostOf({ id: 'n', kind: 'node', ifaces: [{ name: 'lo', addr: '127.0.0.1/8' }, { name: 'eth0', addr: '10.240.0.4/16' }, { name: 'cbr0', addr: '10.244.0.1/24' }], iptables: dedent(rules), ipsets });
  const t = h.netfilter!.ruleset.tables.get(table)!;
  return walkTable(t, { host: h, hook, bridged: false, outIface: hook === 'OUTPUT' || hook === 'POSTROUTING' ? 'eth0' : undefined, inIface: hook === 'PREROUTING' ? 'cbr0' : undefined, ct: { state: 'NEW', dir: 'ORIGINAL', dnat: false, snat: false, mark: 0 }, ...io }, walkOf(pkt), 0);
}

const verdicts = (vs: ReturnType<typeof run>): string[] => vs.map((v) => `${v.verdict}:${+v.w.prob.toFixed(9)}`);

const cases: { name: string; rules: string; want: string[]; pkt?: Partial<Walk['pkt']>; hook?: 'OUTPUT' | 'PREROUTING' | 'FORWARD'; io?: Partial<MatchContext> }[] = [
  { name: 'policy DROP when nothing matches', rules: `*filter\n:OUTPUT DROP [0:0]\nCOMMIT\n`, want: ['DROP:1'] },
  { name: 'policy ACCEPT', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -j DROP\nCOMMIT\n`, want: ['ACCEPT:1'] },
  { name: 'jump cycle is a loop', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A OUTPUT -j A\n-A A -j B\n-A B -j A\nCOMMIT\n`, want: ['LOOP:1'] },
  { name: 'goto: RETURN skips the rest of the chain that went', rules: `*filter\n:OUTPUT DROP [0:0]\n:A - [0:0]\n:B - [0:0]\n-A OUTPUT -j A\n-A OUTPUT -j ACCEPT\n-A A -g B\n-A A -j DROP\n-A B -j RETURN\nCOMMIT\n`, want: ['ACCEPT:1'] },
  { name: 'RETURN in a built-in chain applies the policy', rules: `*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -j RETURN\n-A OUTPUT -j ACCEPT\nCOMMIT\n`, want: ['DROP:1'] },
  { name: 'statistic cascade of three', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m statistic --mode random --probability 0.33333333349 -j REJECT\n-A OUTPUT -m statistic --mode random --probability 0.50000000000 -j DROP\n-A OUTPUT -j ACCEPT\nCOMMIT\n`, want: ['REJECT:0.333333333', 'DROP:0.333333333', 'ACCEPT:0.333333333'] },
  { name: 'statistic nth every 4', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m statistic --mode nth --every 4 --packet 0 -j DROP\nCOMMIT\n`, want: ['DROP:0.25', 'ACCEPT:0.75'] },
  { name: 'negated out interface wildcard', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT ! -o eth+ -j DROP\n-A OUTPUT -o et+ -j REJECT\nCOMMIT\n`, want: ['REJECT:1'] },
  { name: 'multiport range', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp -m multiport --dports 22,50:60 -j DROP\nCOMMIT\n`, want: ['DROP:1'] },
  { name: 'udp --dport negated', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp -m udp ! --dport 53 -j DROP\nCOMMIT\n`, want: ['ACCEPT:1'] },
  { name: 'tcp match does not apply to udp', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -m tcp --dport 53 -j DROP\nCOMMIT\n`, want: ['ACCEPT:1'] },
  { name: 'addrtype dst LOCAL', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m addrtype --dst-type LOCAL -j DROP\nCOMMIT\n`, pkt: { dst: ip('10.244.0.1') }, want: ['DROP:1'] },
  { name: 'addrtype ! dst LOCAL', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m addrtype ! --dst-type LOCAL -j DROP\nCOMMIT\n`, pkt: { dst: ip('127.0.0.1') }, want: ['ACCEPT:1'] },
  { name: 'conntrack NEW on the first packet', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j REJECT\n-A OUTPUT -m conntrack --ctstate NEW -j DROP\nCOMMIT\n`, want: ['DROP:1'] },
  { name: 'ESTABLISHED reply', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m state --state ESTABLISHED -j DROP\nCOMMIT\n`, io: { ct: { state: 'ESTABLISHED', dir: 'REPLY', dnat: false, snat: false, mark: 0 } }, want: ['DROP:1'] },
  { name: 'ctstate DNAT', rules: `*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate DNAT -j DROP\nCOMMIT\n`, hook: 'FORWARD', io: { ct: { state: 'NEW', dir: 'ORIGINAL', dnat: true, snat: false, mark: 0 } }, want: ['DROP:1'] },
  { name: 'MARK then mark match', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j MARK --set-xmark 0x4000/0x4000\n-A OUTPUT -m mark --mark 0x4000/0x4000 -j DROP\nCOMMIT\n`, want: ['DROP:1'] },
  { name: 'CONNMARK save then connmark match', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j MARK --set-mark 0x80\n-A OUTPUT -j CONNMARK --save-mark --nfmask 0x80 --ctmask 0x80\n-A OUTPUT -m connmark --mark 0x80/0x80 -j DROP\nCOMMIT\n`, want: ['DROP:1'] },
  { name: 'physdev only matches bridged frames', rules: `*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m physdev --physdev-is-bridged -j DROP\nCOMMIT\n`, hook: 'FORWARD', want: ['ACCEPT:1'] },
  { name: 'physdev on a bridged frame', rules: `*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m physdev --physdev-in veth+ --physdev-is-bridged -j DROP\nCOMMIT\n`, hook: 'FORWARD', io: { bridged: true, physIn: 'veth1', physOut: 'veth2' }, want: ['DROP:1'] },
  { name: 'iprange', rules: `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m iprange --dst-range 10.0.0.1-10.0.0.20 -j DROP\nCOMMIT\n`, want: ['DROP:1'] },
  { name: 'LOG continues', rules: `*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -j LOG --log-prefix "x: "\n-A OUTPUT -j ACCEPT\nCOMMIT\n`, want: ['ACCEPT:1'] },
];

for (const c of cases) {
  void test(`netfilter walk: ${c.name}`, () => {
    assert.deepEqual(verdicts(run(c.rules, c.hook ?? 'OUTPUT', 'filter', c.pkt ?? {}, c.io ?? {})), c.want);
  });
}

void test('netfilter walk: probabilities of a 10-way kube-proxy cascade are each 1/10', () => {
  const lines = ['*nat', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i < 10; i++) {
    const p = 1 / (10 - i);
    lines.push(`-A OUTPUT ${i < 9 ? `-m statistic --mode random --probability ${p.toFixed(11)} ` : ''}-j DNAT --to-destination 10.244.0.${i + 2}:53`);
  }
  lines.push('COMMIT', '');
  const vs = run(lines.join('\n'), 'OUTPUT', 'nat');
  assert.equal(vs.length, 10);
  for (const v of vs) assert.ok(Math.abs(v.w.prob - 0.1) < 1e-9);
  assert.deepEqual(vs.map((v) => v.w.pkt.dst & 255).sort((a, b) => a - b), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.ok(Math.abs(vs.reduce((s, v) => s + v.w.prob, 0) - 1) < 1e-9);
});

void test('netfilter walk: assumptions are recorded (ipset unknown, recent, unmodelled module) and the rule does not match', () => {
  const vs = run(`*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m set --match-set KUBE-X dst,dst -j DROP\n-A OUTPUT -m recent --rcheck --name r -j DROP\n-A OUTPUT -m owner --uid-owner 0 -j DROP\nCOMMIT\n`);
  assert.deepEqual(verdicts(vs), ['ACCEPT:1']);
  const a = toArray(vs[0].w.assumptions);
  assert.equal(a.length, 3);
  assert.match(a[0], /ipset KUBE-X/);
  assert.match(a[1], /recent/);
  assert.match(a[2], /-m owner/);
});

void test('netfilter walk: a known ipset is evaluated', () => {
  const vs = run(`*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m set --match-set KUBE-X dst -j DROP\nCOMMIT\n`, 'OUTPUT', 'filter', {}, {}, { 'KUBE-X': ['10.0.0.0/24'] });
  assert.deepEqual(verdicts(vs), ['DROP:1']);
});

void test('netfilter walk: DNAT, MASQUERADE and REDIRECT rewrite the packet', () => {
  const d = run(`*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp -d 10.0.0.10/32 -j DNAT --to-destination 10.244.1.2:5353\nCOMMIT\n`, 'OUTPUT', 'nat');
  assert.equal(d[0].nat, 'dnat');
  assert.equal(d[0].w.pkt.dst, ip('10.244.1.2'));
  assert.equal(d[0].w.pkt.dport, 5353);
  const m = run(`*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -j MASQUERADE --to-ports 1024-2000\nCOMMIT\n`, 'POSTROUTING', 'nat');
  assert.equal(m[0].w.pkt.src, ip('10.240.0.4'));
  assert.equal(m[0].w.pkt.sport, 1024);
  const r = run(`*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p udp -j REDIRECT --to-ports 15001\nCOMMIT\n`, 'PREROUTING', 'nat');
  assert.equal(r[0].w.pkt.dst, ip('10.244.0.1'));
  assert.equal(r[0].w.pkt.dport, 15001);
});

/** Rule positions a full scan would try for a packet to `dst`: all rules whose -d could match. */
function scan(chain: Chain, dst: number): number[] {
  const out: number[] = [];
  chain.rules.forEach((r, i) => {
    const p = r.destination && !r.destination.negated ? prefixOf(r.destination.value) : undefined;
    if (!p || p.len !== 32 || contains(p, dst)) out.push(i);
  });
  return out;
}

void test('rule index: candidates are exactly the rules a scan could match, in order (property)', () => {
  const SPAN = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  // Mostly keyed rules, as in KUBE-SERVICES, so that long chains take the indexed path.
  const ruleSpec = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 9 }).map((n) => n > 0));
  fc.assert(fc.property(fc.array(ruleSpec, { minLength: 0, maxLength: 120 }), fc.integer({ min: 0, max: 6 }), (spec, d) => {
    const rules: Rule[] = spec.map(([n, keyed], i) => ({ index: i + 1, matches: [], raw: '', span: SPAN, ...(keyed ? { destination: { negated: false, value: `10.0.0.${n}/32` } } : n === 0 ? { destination: { negated: true, value: '10.0.0.1' } } : {}) }));
    const chain: Chain = { name: 'KUBE-SERVICES', rules };
    const dst = ip(`10.0.0.${d}`);
    const got: number[] = [];
    for (let p = nextCandidate(chain, dst, -1); p >= 0; p = nextCandidate(chain, dst, p)) got.push(p);
    const could = new Set(scan(chain, dst));
    // Every rule that could match is a candidate, in chain order; the index may only leave out the others.
    assert.deepEqual(got.filter((p) => could.has(p)), [...could]);
    assert.ok(got.every((p, i) => i === 0 || p > got[i - 1]));
    if (rules.length >= 24 && rules.filter((r) => r.destination && !r.destination.negated).length * 2 >= rules.length) assert.deepEqual(got, [...could]);
  }));
});

void test('eval-match: a rule whose address cannot be read is an assumption, not a crash', () => {
  const h = hostOf({ id: 'n', kind: 'node', ifaces: [] });
  const r: Rule = { index: 1, destination: { negated: false, value: 'kube-dns.example' }, matches: [], raw: '', span: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } };
  const res = evalRule(r, { host: h, hook: 'OUTPUT', table: 'filter', pkt: walkOf().pkt, bridged: false, ct: { state: 'NEW', dir: 'ORIGINAL', dnat: false, snat: false, mark: 0 } });
  assert.equal(res.matched, false);
  assert.equal(res.assumptions.length, 1);
});

void test('netfilter walk: hash:ip,port ipset members match address, protocol and port', () => {
  const rules = `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m set --match-set KUBE-X dst,dst -j DROP\nCOMMIT\n`;
  const cases: [string[], string][] = [
    [['10.0.0.10,udp:53'], 'DROP:1'],
    [['10.0.0.10,tcp:53'], 'ACCEPT:1'],
    [['10.0.0.10,53'], 'ACCEPT:1'],
    [['10.0.0.11,udp:53'], 'ACCEPT:1'],
    [['10.0.0.0/24,udp:53'], 'DROP:1'],
  ];
  for (const [members, want] of cases) assert.deepEqual(verdicts(run(rules, 'OUTPUT', 'filter', {}, {}, { 'KUBE-X': members })), [want], members.join(' '));
});
