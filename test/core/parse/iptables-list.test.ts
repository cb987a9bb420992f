import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIptablesList } from '../../../src/core/parse/iptables/parse-iptables-list';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import { parseIptablesS } from '../../../src/core/parse/iptables/parse-iptables-s';
import type { Rule, Ruleset } from '../../../src/core/model/netfilter';
import { corpusFiles, issueKeys, plainRule, plainRuleset } from './iptables-helpers';

const HEADER = 'target     prot opt source               destination';

function only(r: Ruleset, table: string, chain: string): Rule[] {
  const c = r.tables.get(table)?.chains.get(chain);
  assert.ok(c, `chain ${table}/${chain} missing`);
  return c.rules;
}

/** The rule iptables-save would print, read by the save parser (its chain is declared so it is not flagged). */
function saved(spec: string): Rule {
  const r = parseIptablesSave(`*filter\n:X - [0:0]\n-A X ${spec}\nCOMMIT\n`);
  // The jump targets of these one-rule tables are not declared: that warning is not what is tested here.
  assert.deepEqual(issueKeys(r.issues, (i) => i.severity !== 'info' && i.code !== 'iptables-unknown-target'), [], `save spec ${spec}`);
  return only(r.value, 'filter', 'X')[0];
}

// Listing row (target, prot, extension text) → what iptables-save prints for the same kernel rule.
const EXT: [string, string, string, string][] = [
  ['ACCEPT', 'tcp', 'tcp dpt:53', '-p tcp -m tcp --dport 53 -j ACCEPT'],
  ['ACCEPT', 'udp', 'udp spt:53', '-p udp -m udp --sport 53 -j ACCEPT'],
  ['ACCEPT', 'tcp', 'tcp dpts:1000:2000', '-p tcp -m tcp --dport 1000:2000 -j ACCEPT'],
  ['ACCEPT', 'tcp', 'tcp dpt:!22', '-p tcp -m tcp ! --dport 22 -j ACCEPT'],
  ['ACCEPT', 'tcp', 'tcp dpt:domain', '-p tcp -m tcp --dport 53 -j ACCEPT'],
  ['ACCEPT', 'tcp', 'tcp dpt:https', '-p tcp -m tcp --dport 443 -j ACCEPT'],
  ['ACCEPT', 'tcp', 'tcp flags:0x17/0x02', '-p tcp -m tcp --syn -j ACCEPT'],
  ['ACCEPT', 'tcp', 'multiport dports 80,443', '-p tcp -m multiport --dports 80,443 -j ACCEPT'],
  ['ACCEPT', 'all', '/* a * b: c */', '-m comment --comment "a * b: c" -j ACCEPT'],
  ['KUBE-SEP-A', 'all', '/* default/web */ statistic mode random probability 0.50000000000', '-m comment --comment default/web -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-A'],
  ['ACCEPT', 'all', 'statistic mode nth every 2 packet 0', '-m statistic --mode nth --every 2 --packet 0 -j ACCEPT'],
  ['ACCEPT', 'all', 'statistic mode nth every 3', '-m statistic --mode nth --every 3 --packet 0 -j ACCEPT'],
  ['ACCEPT', 'all', 'mark match 0x4000/0x4000', '-m mark --mark 0x4000/0x4000 -j ACCEPT'],
  ['RETURN', 'all', 'mark match ! 0x4000/0x4000', '-m mark ! --mark 0x4000/0x4000 -j RETURN'],
  ['MARK', 'all', 'MARK or 0x4000', '-j MARK --or-mark 0x4000'],
  ['MARK', 'all', 'MARK set 0x1', '-j MARK --set-mark 0x1'],
  ['MARK', 'all', 'MARK xset 0x4000/0x4000', '-j MARK --set-xmark 0x4000/0x4000'],
  ['MARK', 'all', 'MARK and 0xffff', '-j MARK --and-mark 0xffff'],
  ['MARK', 'all', 'MARK xor 0x4000', '-j MARK --xor-mark 0x4000'],
  ['ACCEPT', 'all', 'ctstate NEW,RELATED', '-m conntrack --ctstate NEW,RELATED -j ACCEPT'],
  ['DROP', 'all', '! ctstate RELATED,ESTABLISHED,DNAT', '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP'],
  ['ACCEPT', 'all', 'state RELATED,ESTABLISHED', '-m state --state RELATED,ESTABLISHED -j ACCEPT'],
  ['KUBE-NODEPORTS', 'all', 'ADDRTYPE match dst-type LOCAL', '-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS'],
  ['ACCEPT', 'all', 'ADDRTYPE match src-type LOCAL limit-in', '-m addrtype --src-type LOCAL --limit-iface-in -j ACCEPT'],
  ['ACCEPT', 'all', 'ADDRTYPE match dst-type !LOCAL', '-m addrtype ! --dst-type LOCAL -j ACCEPT'],
  ['ACCEPT', 'all', 'match-set KUBE-X dst,dst', '-m set --match-set KUBE-X dst,dst -j ACCEPT'],
  ['ACCEPT', 'all', 'match-set A src ! match-set B dst', '-m set --match-set A src -m set ! --match-set B dst -j ACCEPT'],
  ['DNAT', 'tcp', 'tcp to:10.244.0.2:53', '-p tcp -m tcp -j DNAT --to-destination 10.244.0.2:53'],
  ['SNAT', 'all', 'to:1.2.3.4 random-fully', '-j SNAT --to-source 1.2.3.4 --random-fully'],
  ['MASQUERADE', 'all', 'masq ports: 1024-65535 random-fully', '-j MASQUERADE --to-ports 1024-65535 --random-fully'],
  ['MASQUERADE', 'all', 'random-fully', '-j MASQUERADE --random-fully'],
  ['REJECT', 'all', 'reject-with icmp-port-unreachable', '-j REJECT --reject-with icmp-port-unreachable'],
  ['LOG', 'all', 'LOG flags 0 level 4 prefix "drop: "', '-j LOG --log-prefix "drop: "'],
  ['LOG', 'all', 'LOG flags 1 level 6', '-j LOG --log-level 6 --log-tcp-sequence'],
  ['ACCEPT', 'all', 'recent: CHECK seconds: 60 name: DEFAULT side: source mask: 255.255.255.255', '-m recent --rcheck --seconds 60 --name DEFAULT --mask 255.255.255.255 --rsource -j ACCEPT'],
  ['ACCEPT', 'all', 'PHYSDEV match --physdev-is-in', '-m physdev --physdev-is-in -j ACCEPT'],
  ['ACCEPT', 'all', 'PHYSDEV match ! --physdev-is-in ADDRTYPE match src-type !LOCAL', '-m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT'],
  ['ACCEPT', 'all', 'MAC 00:11:22:33:44:55', '-m mac --mac-source 00:11:22:33:44:55 -j ACCEPT'],
  ['ACCEPT', 'all', 'source IP range 10.0.0.1-10.0.0.9', '-m iprange --src-range 10.0.0.1-10.0.0.9 -j ACCEPT'],
  ['ACCEPT', 'all', 'limit: avg 3/hour burst 5', '-m limit --limit 3/hour -j ACCEPT'],
  ['ACCEPT', 'all', 'limit: avg 3/hour burst 10', '-m limit --limit 3/hour --limit-burst 10 -j ACCEPT'],
  ['DROP', 'all', 'ctstate INVALID nfacct-name  ct_state_invalid_dropped_pkts', '-m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP'],
  ['CONNMARK', 'all', 'CONNMARK xset 0x80/0x80', '-j CONNMARK --set-xmark 0x80/0x80'],
  ['CONNMARK', 'all', 'CONNMARK restore mask 0x80', '-j CONNMARK --restore-mark --nfmask 0x80 --ctmask 0x80'],
  ['ACCEPT', 'icmp', 'icmptype 8', '-p icmp -m icmp --icmp-type 8 -j ACCEPT'],
  ['ACCEPT', 'icmp', 'icmp echo-request', '-p icmp -m icmp --icmp-type 8 -j ACCEPT'],
  ['ACCEPT', 'sctp', 'sctp dpt:80', '-p sctp -m sctp --dport 80 -j ACCEPT'],
  ['ACCEPT', 'all', 'owner UID match 0', '-m owner --uid-owner 0 -j ACCEPT'],
  ['CT', 'all', 'CT notrack', '-j CT --notrack'],
  ['REDIRECT', 'tcp', 'redir ports 8080', '-p tcp -j REDIRECT --to-ports 8080'],
  ['TCPMSS', 'tcp', 'tcp flags:0x06/0x02 TCPMSS clamp to PMTU', '-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu'],
  ['ACCEPT', 'all', 'PKTTYPE = unicast', '-m pkttype --pkt-type unicast -j ACCEPT'],
];

for (const [target, prot, ext, spec] of EXT) {
  void test(`iptables -L: "${ext}" reads like "${spec}"`, () => {
    const text = `Chain X (0 references)\n${HEADER}\n${target.padEnd(10)} ${prot.padEnd(4)} --  0.0.0.0/0            0.0.0.0/0            ${ext}\n`;
    const r = parseIptablesList(text);
    assert.deepEqual(issueKeys(r.issues, (i) => i.severity !== 'info'), []);
    const rules = only(r.value, 'filter', 'X');
    assert.equal(rules.length, 1);
    assert.deepEqual(rules[0].unknown, ['inInterface', 'outInterface']);
    assert.deepEqual(plainRule(rules[0], { unknown: true }), plainRule(saved(spec), { unknown: true }));
  });
}

void test('iptables -L: columns with -v, --line-numbers, no target, numeric protocol, fragments, K/M counters', () => {
  const text = [
    'Chain FORWARD (policy DROP 3386K packets, 2827M bytes)',
    'num   pkts bytes target     prot opt in     out     source               destination',
    '1     167M  113G KUBE-FORWARD  all  --  *      *       0.0.0.0/0            0.0.0.0/0',
    '2        0     0            6    -f  docker0 !docker0  10.0.0.1           !10.0.0.0/8',
    '3       10   600 ACCEPT     !17  !f  *      br+     0.0.0.0/0            0.0.0.0/0',
  ].join('\n');
  const r = parseIptablesList(text);
  assert.deepEqual(issueKeys(r.issues, (i) => i.code !== 'iptables-unknown-target'), []);
  const fwd = r.value.tables.get('filter')!.chains.get('FORWARD')!;
  assert.equal(fwd.policy, 'DROP');
  assert.deepEqual(fwd.counters, { packets: 3386000, bytes: 2827000000 });
  const [a, b, c] = fwd.rules;
  assert.deepEqual(a.counters, { packets: 167e6, bytes: 113e9 });
  assert.equal(a.target?.name, 'KUBE-FORWARD');
  assert.equal(a.protocol, undefined);
  assert.equal(a.unknown, undefined);
  assert.equal(b.target, undefined);
  assert.deepEqual(b.protocol, { negated: false, value: 'tcp' });
  assert.deepEqual(b.fragment, { negated: false, value: true });
  assert.deepEqual(b.inInterface, { negated: false, value: 'docker0' });
  assert.deepEqual(b.outInterface, { negated: true, value: 'docker0' });
  assert.deepEqual(b.source, { negated: false, value: '10.0.0.1/32' });
  assert.deepEqual(b.destination, { negated: true, value: '10.0.0.0/8' });
  assert.deepEqual(c.protocol, { negated: true, value: 'udp' });
  assert.deepEqual(c.fragment, { negated: true, value: true });
  assert.deepEqual(c.outInterface, { negated: false, value: 'br+' });
  assert.deepEqual([a.index, b.index, c.index], [1, 2, 3]);
});

void test('iptables -L: problems are reported at their text', () => {
  const lines = [
    'Chain X (policy ACCEPT)',
    HEADER,
    'ACCEPT     tcp  --  anywhere             k8s-cp/24            tcp dpt:nonesuch',
    'ACCEPT     all  --  0.0.0.0/0            0.0.0.0/0            frobnicate 3 /* c */',
    'ACCEPT     all  --  fe80::1              0.0.0.0/0',
    'something else entirely',
  ];
  const text = lines.join('\n');
  const r = parseIptablesList(text);
  const col = (l: number, tok: string) => `${l}:${lines[l - 1].indexOf(tok) + 1}-${lines[l - 1].indexOf(tok) + 1 + tok.length}`;
  assert.deepEqual(issueKeys(r.issues), [
    `info iptables-list-resolved-name ${col(3, 'k8s-cp/24')}`,
    `warning iptables-list-unknown-service ${col(3, 'dpt:nonesuch')}`,
    `warning iptables-list-unknown-extension ${col(4, 'frobnicate 3 /* c */')}`,
    `warning iptables-ipv6 ${col(5, 'fe80::1')}`,
    `warning iptables-list-unexpected-line ${col(6, 'something else entirely')}`,
  ]);
  const rules = only(r.value, 'filter', 'X');
  assert.equal(rules.length, 3);
  assert.equal(rules[0].source, undefined);
  assert.deepEqual(rules[0].destination, { negated: false, value: 'k8s-cp/24' });
  assert.deepEqual(rules[0].matches[0].options[0].values, ['nonesuch']);
  assert.equal(rules[1].target?.name, 'ACCEPT');
});

void test('iptables -L: several pasted tables, told apart by their prompts', () => {
  const text = [
    '# iptables -t nat -L -n',
    'Chain PREROUTING (policy ACCEPT)',
    HEADER,
    'KUBE-SERVICES  all  --  0.0.0.0/0            0.0.0.0/0',
    '',
    '# iptables -L -n',
    'Chain INPUT (policy DROP)',
    HEADER,
    'ACCEPT     all  --  0.0.0.0/0            0.0.0.0/0',
  ].join('\n');
  const r = parseIptablesList(text, { table: 'mangle' });
  assert.deepEqual([...r.value.tables.keys()], ['nat', 'filter']);
  assert.equal(only(r.value, 'nat', 'PREROUTING')[0].target?.name, 'KUBE-SERVICES');
  assert.equal(r.value.tables.get('filter')!.chains.get('INPUT')!.policy, 'DROP');
  assert.deepEqual(r.issues.filter((i) => i.code === 'pasted-prompt').map((i) => i.span.line), [1, 6]);
});

void test('iptables -L: rows after a `| grep` prompt go to the chain the prompt names', () => {
  const text = '$ d KUBE-SERVICES | grep 10.96.94.225\n    3   180 KUBE-MARK-MASQ  tcp  --  *      *      !10.244.0.0/16        10.96.94.225         /* default/web cluster IP */ tcp dpt:80\n';
  const r = parseIptablesList(text, { table: 'nat' });
  assert.deepEqual(r.issues.map((i) => `${i.code} ${i.span.line}`), ['pasted-prompt 1', 'iptables-list-excerpt 1', 'iptables-unknown-target 2']);
  assert.equal(only(r.value, 'nat', 'KUBE-SERVICES').length, 1);
});

// The tkng kind `web` ClusterIP, listed chain by chain, against what kube-proxy's rules look like in iptables-save.
const WEB_SAVE = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-MHDQ23KUGG7EGFMW - [0:0]
-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.96.94.225/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SERVICES -d 10.96.94.225/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-MHDQ23KUGG7EGFMW
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web" -j KUBE-SEP-ZA2JI7K7LSQNKDOS
-A KUBE-SEP-MHDQ23KUGG7EGFMW -s 10.244.1.3/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ
-A KUBE-SEP-MHDQ23KUGG7EGFMW -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.1.3:80
COMMIT
`;

void test('iptables -L: the tkng web listing reads like the iptables-save of the same rules', () => {
  const [file] = corpusFiles('iptables-other', /web-svc\.iptables-t-nat-nvL-per-chain/);
  const listed = parseIptablesList(file.text, { table: 'nat' });
  assert.deepEqual(issueKeys(listed.issues, (i) => i.severity === 'error'), []);
  const save = parseIptablesSave(WEB_SAVE).value;
  const fromList = plainRuleset(listed.value, { counters: true, unknown: true }) as Record<string, Record<string, { rules: unknown }>>;
  const fromSave = plainRuleset(save, { counters: true, unknown: true }) as Record<string, Record<string, { rules: unknown }>>;
  for (const chain of Object.keys(fromSave.nat)) assert.deepEqual(fromList.nat[chain].rules, fromSave.nat[chain].rules, chain);
});

// moby's generated docs show the same daemon state as `iptables -nvL --line-numbers` and as `iptables -S`.
const SAME_STATE: [RegExp, RegExp, string][] = [
  [/moby-usernet-portmap\.iptables-nvL-line-numbers\.filter/, /moby-usernet-portmap\.iptables-S\.filter/, 'filter'],
  [/moby-usernet-portmap\.iptables-t-nat-nvL-line-numbers/, /moby-usernet-portmap\.iptables-t-nat-S/, 'nat'],
];

for (const [listing, rulespec, table] of SAME_STATE) {
  void test(`iptables -L: the moby ${table} listing and its iptables -S read into the same model`, () => {
    const [l] = corpusFiles('iptables-other', listing);
    const [s] = corpusFiles('iptables-other', rulespec);
    const fromList = parseIptablesList(l.text, { table });
    const fromS = parseIptablesS(s.text, { table });
    assert.deepEqual(issueKeys(fromList.issues, (i) => i.severity !== 'info'), []);
    // -S prints no counters; the listing's are all zero here anyway.
    assert.deepEqual(plainRuleset(fromList.value, { counters: true }), plainRuleset(fromS.value, { counters: true }));
  });
}
