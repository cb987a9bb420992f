import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import { ruleMatchSpans } from '../../../src/core/parse/iptables/iptables-args';
import type { Rule, Ruleset } from '../../../src/core/model/netfilter';
import { issueKeys, plainRule } from './iptables-helpers';

/** `severity code line:col-endCol` of the `nth` occurrence of `token` in `text` (1-based line/column). */
function at(text: string, severity: string, code: string, token: string, nth = 0): string {
  let idx = -1;
  for (let k = 0; k <= nth; k++) idx = text.indexOf(token, idx + 1);
  assert.ok(idx >= 0, `token ${token} not in text`);
  const before = text.slice(0, idx);
  const line = before.split('\n').length;
  const col = idx - before.lastIndexOf('\n');
  return `${severity} ${code} ${line}:${col}-${col + token.length}`;
}

function rule(r: Ruleset, table: string, chain: string, i = 0): Rule {
  const c = r.tables.get(table)?.chains.get(chain);
  assert.ok(c, `chain ${table}/${chain} missing`);
  assert.ok(c.rules[i], `rule ${i} of ${chain} missing`);
  return c.rules[i];
}

const wrap = (table: string, body: string) => `*${table}\n:KUBE-X - [0:0]\n${body}\nCOMMIT\n`;

// Pairs of spellings that must give the same model (aliases, negation forms, option order, canonical MARK/--syn).
const SAME: [string, string, string][] = [
  ['long option aliases', '-A INPUT --source 10.0.0.0/8 --destination 10.1.0.0/16 --in-interface eth0 --out-interface eth1 --protocol tcp --match tcp --destination-port 53 --jump ACCEPT', '-A INPUT -s 10.0.0.0/8 -d 10.1.0.0/16 -i eth0 -o eth1 -p tcp -m tcp --dport 53 -j ACCEPT'],
  ['old negation after the option', '-A INPUT -s ! 10.0.0.0/8 -p tcp -m tcp --dport ! 53 -j DROP', '-A INPUT ! -s 10.0.0.0/8 -p tcp -m tcp ! --dport 53 -j DROP'],
  ['goto alias', '-A INPUT --goto KUBE-X', '-A INPUT -g KUBE-X'],
  ['fragment alias', '-A INPUT ! --fragment -j ACCEPT', '-A INPUT ! -f -j ACCEPT'],
  ['interleaved kube-proxy order', '-A INPUT -m comment --comment "a b" -m tcp -p tcp -d 10.0.0.1 --dport 80 -j ACCEPT', '-A INPUT -d 10.0.0.1 -p tcp -m comment --comment "a b" -m tcp --dport 80 -j ACCEPT'],
  ['implicit protocol match', '-A INPUT -p tcp --dport 80 -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT'],
  ['MARK --or-mark is saved as --set-xmark', '-A INPUT -j MARK --or-mark 0x4000', '-A INPUT -j MARK --set-xmark 0x4000/0x4000'],
  ['MARK --xor-mark', '-A INPUT -j MARK --xor-mark 0x4000', '-A INPUT -j MARK --set-xmark 0x4000/0x0'],
  ['MARK --and-mark', '-A INPUT -j MARK --and-mark 0xffff0000', '-A INPUT -j MARK --set-xmark 0x0/0xffff'],
  ['MARK --set-mark', '-A INPUT -j MARK --set-mark 0x1', '-A INPUT -j MARK --set-xmark 0x1/0xffffffff'],
  ['--syn', '-A INPUT -p tcp -m tcp --syn -j ACCEPT', '-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT'],
  ['quoted and unquoted one-word comment', '-A INPUT -m comment --comment "x" -j ACCEPT', '-A INPUT -m comment --comment x -j ACCEPT'],
  ['unquoted multi-word comment', '-A INPUT -m comment --comment kubernetes service portals -j ACCEPT', '-A INPUT -m comment --comment "kubernetes service portals" -j ACCEPT'],
  ['counters as prefix and as -c', '[5:300] -A INPUT -j ACCEPT', '-A INPUT -c 5 300 -j ACCEPT'],
  ['recent in kube-proxy order gets save order and defaults', '-A INPUT -m recent --name X --rcheck --seconds 10800 --reap -j ACCEPT', '-A INPUT -m recent --rcheck --seconds 10800 --reap --name X --mask 255.255.255.255 --rsource -j ACCEPT'],
  ['numeric protocol', '-A INPUT -p 6 -m tcp --dport 1 -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 1 -j ACCEPT'],
];

for (const [name, a, b] of SAME) {
  void test(`iptables-save: same model — ${name}`, () => {
    const ra = parseIptablesSave(wrap('filter', a));
    const rb = parseIptablesSave(wrap('filter', b));
    assert.deepEqual(issueKeys(ra.issues, (i) => i.severity !== 'info'), []);
    assert.deepEqual(issueKeys(rb.issues, (i) => i.severity !== 'info'), []);
    assert.deepEqual(plainRule(rule(ra.value, 'filter', 'INPUT')), plainRule(rule(rb.value, 'filter', 'INPUT')));
  });
}

void test('iptables-save: a kube-proxy rule reads into matches with their options', () => {
  const text = wrap('nat', ':KUBE-SERVICES - [0:0]\n:KUBE-SVC-X - [0:0]\n-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-SVC-X');
  const r = parseIptablesSave(text);
  assert.deepEqual(r.issues, []);
  const x = rule(r.value, 'nat', 'KUBE-SERVICES');
  assert.deepEqual(x.protocol, { negated: false, value: 'tcp' });
  assert.deepEqual(x.destination, { negated: false, value: '172.30.0.41' });
  assert.deepEqual(x.source, { negated: true, value: '10.0.0.0/8' });
  assert.deepEqual(x.matches.map((m) => [m.module, m.options.map((o) => [o.name, ...o.values])]), [
    ['comment', [['--comment', 'ns1/svc1:p80 cluster IP']]],
    ['tcp', [['--dport', '80']]],
  ]);
  assert.equal(x.target?.name, 'KUBE-SVC-X');
  const lines = text.split('\n');
  assert.equal(x.span.line, 5);
  const line = lines[4];
  assert.equal(x.raw, line);
  // Match spans are computed on request; the tcp match runs from `-m tcp` to its last option (`80`), across the interleaved `-p`/`-d`.
  assert.equal(x.matches[1].span, undefined);
  const spans = ruleMatchSpans(x);
  assert.equal(spans.length, 2);
  assert.equal(spans[0]!.column, line.indexOf('-m comment') + 1);
  const tcp = spans[1]!;
  assert.equal(tcp.line, 5);
  assert.equal(tcp.column, line.indexOf('-m tcp') + 1);
  assert.equal(tcp.endColumn, line.indexOf('--dport 80') + '--dport 80'.length + 1);
});

void test('iptables-save: match spans on request, with counters and -I positions, and for an implicit match', () => {
  const text = '*filter\n[3:4] -A INPUT -m comment --comment x -j ACCEPT\n-I INPUT 1 -p udp --dport 53 -j ACCEPT\nCOMMIT\n';
  const r = parseIptablesSave(text);
  const [first, second] = r.value.tables.get('filter')!.chains.get('INPUT')!.rules;
  const lines = text.split('\n');
  const [udp] = ruleMatchSpans(first);
  assert.deepEqual([udp!.line, udp!.column, udp!.endColumn], [3, lines[2].indexOf('--dport') + 1, lines[2].indexOf(' -j') + 1]);
  const [comment] = ruleMatchSpans(second);
  assert.deepEqual([comment!.line, comment!.column, comment!.endColumn], [2, lines[1].indexOf('-m comment') + 1, lines[1].indexOf(' -j') + 1]);
  assert.equal(comment!.start, text.indexOf('-m comment'));
});

void test('iptables-save: quoted comment with escapes', () => {
  const r = parseIptablesSave(wrap('filter', '-A INPUT -m comment --comment "say \\"hi\\" \\\\ there" -j ACCEPT'));
  assert.deepEqual(r.issues, []);
  assert.deepEqual(rule(r.value, 'filter', 'INPUT').matches[0].options[0].values, ['say "hi" \\ there']);
});

void test('iptables-save: match modules and targets of the corpus keep their option arity', () => {
  const r = parseIptablesSave(wrap('filter', [
    '-A INPUT -m set --match-set KUBE-X dst,dst -m statistic --mode nth --every 2 --packet 0 -m addrtype ! --dst-type LOCAL --limit-iface-in -j ACCEPT',
    '-A INPUT -p tcp -m tcp --tcp-flags SYN,ACK SYN -m conntrack --ctstate NEW --ctorigdstport 80 -m physdev --physdev-is-in -j LOG --log-prefix "x y" --log-level 4',
    '-A INPUT -j CONNMARK --restore-mark --nfmask 0x80 --ctmask 0x80',
    '-A INPUT -j SNAT --to-source 1.2.3.4 --random-fully',
  ].join('\n')));
  assert.deepEqual(issueKeys(r.issues), []);
  const opts = (i: number) => rule(r.value, 'filter', 'INPUT', i).matches.map((m) => `${m.module}:${m.options.map((o) => `${o.negated ? '!' : ''}${o.name}=${o.values.join(' ')}`).join(',')}`);
  assert.deepEqual(opts(0), ['set:--match-set=KUBE-X dst,dst', 'statistic:--mode=nth,--every=2,--packet=0', 'addrtype:!--dst-type=LOCAL,--limit-iface-in=']);
  assert.deepEqual(opts(1), ['tcp:--tcp-flags=SYN,ACK SYN', 'conntrack:--ctstate=NEW,--ctorigdstport=80', 'physdev:--physdev-is-in=']);
  assert.deepEqual(rule(r.value, 'filter', 'INPUT', 1).target?.options.map((o) => [o.name, ...o.values]), [['--log-prefix', 'x y'], ['--log-level', '4']]);
  assert.deepEqual(rule(r.value, 'filter', 'INPUT', 2).target?.options.map((o) => [o.name, ...o.values]), [['--restore-mark'], ['--nfmask', '0x80'], ['--ctmask', '0x80']]);
  assert.deepEqual(rule(r.value, 'filter', 'INPUT', 3).target?.options.map((o) => [o.name, ...o.values]), [['--to-source', '1.2.3.4'], ['--random-fully']]);
});

void test('iptables-save: chain declarations, policies and counters', () => {
  const r = parseIptablesSave('# Generated by iptables-save v1.8.7\n*filter\n:INPUT DROP [12:3456]\n:KUBE-X - [0:0]\n-A INPUT -j KUBE-X\nCOMMIT\n# Completed\n');
  assert.deepEqual(r.issues, []);
  const input = r.value.tables.get('filter')!.chains.get('INPUT')!;
  assert.equal(input.policy, 'DROP');
  assert.deepEqual(input.counters, { packets: 12, bytes: 3456 });
  assert.equal(r.value.tables.get('filter')!.chains.get('KUBE-X')!.policy, undefined);
  assert.equal(r.value.format, 'iptables-save');
});

void test('iptables-save: restore commands -I, -D, -R, -N, -X, -F, -P', () => {
  const r = parseIptablesSave(wrap('filter', [
    '-N A', '-N B', '-A A -j ACCEPT', '-A A -j DROP', '-I A 1 -j RETURN', '-I A -s 1.1.1.1 -j DROP',
    '-D A -j ACCEPT', '-R A 2 -j REJECT', '-D A 1', '-X B', '-P INPUT DROP', '-N C', '-A C -j ACCEPT', '-F C',
  ].join('\n')));
  assert.deepEqual(issueKeys(r.issues), []);
  assert.equal(r.value.format, 'iptables-restore');
  const a = r.value.tables.get('filter')!.chains.get('A')!;
  assert.deepEqual(a.rules.map((x) => [x.index, x.target?.name]), [[1, 'REJECT'], [2, 'DROP']]);
  assert.equal(r.value.tables.get('filter')!.chains.has('B'), false);
  assert.equal(r.value.tables.get('filter')!.chains.get('INPUT')!.policy, 'DROP');
  assert.equal(r.value.tables.get('filter')!.chains.get('C')!.rules.length, 0);
});

// Malformed input: each case names the issue (severity, code) and the token its span must cover.
const ERRORS: { name: string; text: string; expect: [string, string, string, number?][] }[] = [
  { name: 'missing COMMIT at the end', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n', expect: [['error', 'iptables-missing-commit', '*filter']] },
  { name: 'missing COMMIT before the next table', text: '*filter\n-A INPUT -j ACCEPT\n*nat\nCOMMIT\n', expect: [['error', 'iptables-missing-commit', '*filter']] },
  { name: 'rule before *table', text: '-A INPUT -j ACCEPT\n*filter\nCOMMIT\n', expect: [['error', 'iptables-outside-table', '-A']] },
  { name: 'append to an undeclared chain in a save dump', text: '*filter\n-A KUBE-NOPE -j ACCEPT\nCOMMIT\n', expect: [['error', 'iptables-undeclared-chain', 'KUBE-NOPE']] },
  { name: 'unbalanced quote', text: '*filter\n-A INPUT -m comment --comment "open -j ACCEPT\nCOMMIT\n', expect: [['error', 'iptables-unbalanced-quote', '"open -j ACCEPT']] },
  { name: 'option missing its value', text: '*filter\n-A INPUT -s -j ACCEPT\nCOMMIT\n', expect: [['error', 'iptables-missing-value', '-s']] },
  { name: 'match option missing its value', text: '*filter\n-A INPUT -p tcp -m tcp --dport -j ACCEPT\nCOMMIT\n', expect: [['error', 'iptables-missing-value', '--dport']] },
  { name: 'bad bracket counters', text: '*filter\n[1:x] -A INPUT -j ACCEPT\nCOMMIT\n', expect: [['error', 'iptables-bad-counters', '[1:x]']] },
  { name: 'bad -c counters', text: '*filter\n-A INPUT -c 1 -j ACCEPT\nCOMMIT\n', expect: [['error', 'iptables-bad-counters', '1']] },
  { name: 'bad chain counters', text: '*filter\n:INPUT ACCEPT [a:b]\nCOMMIT\n', expect: [['error', 'iptables-bad-counters', '[a:b]']] },
  { name: 'unknown match kept', text: '*filter\n-A INPUT -m frobnicate --level 3 --fast -j ACCEPT\nCOMMIT\n', expect: [['warning', 'iptables-unknown-match', 'frobnicate']] },
  { name: 'unknown target kept', text: '*filter\n-A INPUT -j FROB --speed 3\nCOMMIT\n', expect: [['warning', 'iptables-unknown-target', '-j FROB']] },
  { name: 'IPv6 address', text: '*filter\n-A INPUT -s fe80::1/128 -j ACCEPT\nCOMMIT\n', expect: [['warning', 'iptables-ipv6', 'fe80::1/128']] },
  { name: 'garbage line', text: '*filter\nhello world\nCOMMIT\n', expect: [['error', 'iptables-unexpected-line', 'hello world']] },
  { name: 'quoted chain name', text: '*filter\n-A "my chain" -j ACCEPT\nCOMMIT\n', expect: [['error', 'iptables-bad-chain-name', '"my chain"']] },
  { name: 'quoted target name', text: '*filter\n-A INPUT -j "A B"\nCOMMIT\n', expect: [['error', 'iptables-bad-chain-name', '"A B"']] },
  { name: 'unknown table', text: '*bogus\nCOMMIT\n', expect: [['warning', 'iptables-unknown-table', '*bogus']] },
];

for (const c of ERRORS) {
  void test(`iptables-save: ${c.name}`, () => {
    const r = parseIptablesSave(c.text);
    assert.deepEqual(issueKeys(r.issues).sort(), c.expect.map(([sev, code, tok, nth]) => at(c.text, sev, code, tok, nth ?? 0)).sort());
  });
}

void test('iptables-save: unknown match keeps its options greedily and the rest of the rule', () => {
  const r = parseIptablesSave('*filter\n-A INPUT -m frobnicate --level 3 --fast -s 1.2.3.4 -j ACCEPT\nCOMMIT\n');
  const x = rule(r.value, 'filter', 'INPUT');
  assert.deepEqual(x.matches.map((m) => [m.module, m.known, m.options.map((o) => [o.name, ...o.values])]), [['frobnicate', false, [['--level', '3'], ['--fast']]]]);
  assert.deepEqual(x.source, { negated: false, value: '1.2.3.4' });
  assert.equal(x.target?.name, 'ACCEPT');
});

void test('iptables-save: partial restore jumps to chains it does not declare (info, partial)', () => {
  const r = parseIptablesSave('*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-OLD\n-X KUBE-SEP-GONE\nCOMMIT\n');
  assert.deepEqual(issueKeys(r.issues), [at('*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-OLD\n', 'info', 'iptables-unknown-target', '-j KUBE-SVC-OLD')]);
  assert.equal(r.value.format, 'iptables-restore');
  assert.equal(r.value.partial, true);
});

void test('iptables-save: -D of a rule this text does not hold is recorded as info', () => {
  const text = '*nat\n:KUBE-SERVICES - [0:0]\n-D KUBE-SERVICES -d 10.0.0.1/32 -j KUBE-SVC-GONE\nCOMMIT\n';
  const r = parseIptablesSave(text);
  assert.deepEqual(issueKeys(r.issues, (i) => i.code === 'iptables-delete-no-match'), [at(text, 'info', 'iptables-delete-no-match', '-D')]);
  assert.equal(r.value.tables.get('nat')!.chains.get('KUBE-SERVICES')!.rules.length, 0);
});

void test('iptables-save: pasted prompt and elision are skipped with infos', () => {
  const r = parseIptablesSave('# iptables-save -t nat\n*nat\n:PREROUTING ACCEPT [0:0]\n...\nCOMMIT\n');
  assert.deepEqual(r.issues.map((i) => `${i.code} ${i.span.line}`), ['pasted-prompt 1', 'pasted-elision 4']);
});
