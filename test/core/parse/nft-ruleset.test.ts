import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNftRuleset } from '../../../src/core/parse/nft/parse-nft-ruleset';
import { printNftRule, printExpr } from '../../../src/core/parse/nft/print-nft';
import type { NftRuleset, NftStmt } from '../../../src/core/model/nftables';
import type { Issue } from '../../../src/core/source';

const FIX = join(__dirname, '../../fixtures/nft');
const read = (name: string): string => readFileSync(join(FIX, name), 'utf8');
const keys = (issues: Issue[]): string[] => issues.map((i) => `${i.severity} ${i.code} ${i.span.line}:${i.span.column}-${i.span.endColumn}`);

function counts(r: NftRuleset): { tables: number; chains: number; rules: number; sets: number; elements: number } {
  let chains = 0;
  let rules = 0;
  let sets = 0;
  let elements = 0;
  for (const t of r.tables.values()) {
    chains += t.chains.size;
    sets += t.sets.size;
    for (const c of t.chains.values()) rules += c.rules.length;
    for (const s of t.sets.values()) elements += s.elements.length;
  }
  return { tables: r.tables.size, chains, rules, sets, elements };
}

const KUBE_PROXY_COMMANDS = ['k8s-TestOverallNFTablesRules.nft.txt', 'k8s-nft-TestSyncProxyRulesRepeated-after-delete-stale-empty-chains.nft.txt', 'k8s-nft-baseRules.nft.txt'];

for (const name of KUBE_PROXY_COMMANDS) {
  void test(`nft -f commands of kube-proxy's tests: ${name} read whole, counted by plain line filters`, () => {
    const text = read(name);
    const r = parseNftRuleset(text);
    assert.deepEqual(keys(r.issues), []);
    const lines = text.split('\n');
    const count = (re: RegExp): number => lines.filter((l) => re.test(l)).length;
    // Each `add element` line of these dumps holds one element.
    assert.deepEqual(counts(r.value), {
      tables: count(/^add table /), chains: count(/^add chain /), rules: count(/^add rule /), sets: count(/^add (?:set|map) /), elements: count(/^add element /),
    });
    for (const t of r.value.tables.values()) for (const c of t.chains.values()) for (const rule of c.rules) {
      assert.equal(lines[rule.span.line - 1].endsWith(rule.text), true, rule.text);
      assert.equal(lines[rule.span.line - 1].slice(rule.span.column - 1, rule.span.endColumn - 1), rule.text);
      // Every statement was understood: printed back, the rule is the text it came from.
      // kube-proxy writes `mark set mark or 0x4000`; the printer spells it as nft list does.
      const spelled = rule.text.replace(/ , /g, ', ').replace(/^mark set mark or /, 'meta mark set meta mark | ').replace(/^mark set mark xor /, 'meta mark set meta mark ^ ').replace(/^mark and /, 'meta mark & ');
      assert.equal(printNftRule(rule), spelled);
    }
  });
}

for (const name of ['kube-proxy-overall.list.nft', 'kube-proxy-overall.list-a.nft', 'kube-proxy-overall.list-s.nft', 'mixed.list.nft', 'mixed.list-a.nft', 'mixed.list-s.nft']) {
  void test(`nft list ruleset output (nft 1.0.6): ${name}: every rule prints back as the line it came from`, () => {
    const text = read(name);
    const r = parseNftRuleset(text);
    assert.deepEqual(keys(r.issues).filter((k) => !k.includes('nft-xt-expression')), []);
    const lines = text.split('\n');
    let n = 0;
    for (const t of r.value.tables.values()) for (const c of t.chains.values()) for (const rule of c.rules) {
      n++;
      const line = lines[rule.span.line - 1].replace(/\s+# handle \d+$/, '').trim();
      assert.equal(printNftRule(rule), line);
      if (name.includes('-a')) assert.equal(rule.handle, Number(/# handle (\d+)$/.exec(lines[rule.span.line - 1])![1]));
      else assert.equal(rule.handle, undefined);
    }
    // Independent count: lines inside a chain block that are not its type line, comment or brace.
    let inChain = false;
    let expected = 0;
    for (const l of lines) {
      const s = l.trim();
      if (/^chain \S+ \{/.test(s)) inChain = true;
      else if (s === '}') inChain = false;
      else if (inChain && s && !s.startsWith('type ') && !s.startsWith('comment "')) expected++;
    }
    assert.equal(n, expected);
  });
}

// The kernel writes kube-proxy's `mark set mark or 0x4000` as `meta mark set meta mark | 0x00004000`, and drops
// the braces of a one-element anonymous set; compare what both mean.
function sameMeaning(rule: string): string {
  return rule
    .replace(/0x0*([0-9a-f]+)/g, '0x$1').replace(/== 0x0$|== 0x0 /, (m) => m.replace('0x0', '0'))
    .replace(/\{ (\S+) \}/g, '$1').replace(/ , /g, ', ');
}

void test('the same kube-proxy ruleset read from nft -f commands and from nft list ruleset (plain, -a, -s) is the same', () => {
  const plain = (r: NftRuleset): unknown => [...r.tables.values()].map((t) => ({
    table: `${t.family} ${t.name}`, comment: t.comment,
    chains: [...t.chains.values()].map((c) => ({ name: c.name, hook: c.hook && { ...c.hook, priorityText: undefined }, rules: c.rules.map((x) => sameMeaning(printNftRule(x))).sort() })).sort((a, b) => a.name.localeCompare(b.name)),
    sets: [...t.sets.values()].map((s) => ({ name: s.name, kind: s.kind, keyType: s.keyType, dataType: s.dataType, elements: s.elements.map((e) => JSON.stringify([e.key, e.data && ('kind' in e.data ? [e.data.kind, e.data.chain] : e.data), e.comment])).sort() })).sort((a, b) => a.name.localeCompare(b.name)),
  }));
  const fromCommands = plain(parseNftRuleset(read('k8s-TestOverallNFTablesRules.nft.txt')).value);
  for (const name of ['kube-proxy-overall.list.nft', 'kube-proxy-overall.list-a.nft', 'kube-proxy-overall.list-s.nft']) {
    assert.deepEqual(plain(parseNftRuleset(read(name)).value), fromCommands, name);
  }
});

void test('kube-proxy base chains: hooks, priorities by number and by name, policies', () => {
  const t = parseNftRuleset(read('kube-proxy-overall.list-a.nft')).value.tables.get('ip kube-proxy')!;
  const hook = (n: string): unknown => { const h = t.chains.get(n)!.hook; return h && [h.type, h.hook, h.priority, h.priorityText, h.policy]; };
  assert.deepEqual(hook('filter-prerouting-pre-dnat'), ['filter', 'prerouting', -110, 'dstnat - 10', 'accept']);
  assert.deepEqual(hook('filter-output-pre-dnat'), ['filter', 'output', -110, '-110', 'accept']);
  assert.deepEqual(hook('nat-postrouting'), ['nat', 'postrouting', 100, 'srcnat', 'accept']);
  assert.deepEqual(hook('filter-forward'), ['filter', 'forward', 0, 'filter', 'accept']);
  assert.equal(hook('services'), undefined);
  assert.equal(t.handle, 2);
  assert.equal(t.chains.get('services')!.handle, 22);
  assert.equal(t.sets.get('service-ips')!.handle, 6);
  assert.equal(t.comment, 'rules for kube-proxy');
  assert.equal(t.chains.get('reject-chain')!.comment, 'helper for @no-endpoint-services / @no-endpoint-nodeports');
  const aff = t.sets.get('affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80')!;
  assert.deepEqual([aff.kind, aff.keyType, aff.flags, aff.timeout], ['set', ['ipv4_addr'], ['dynamic', 'timeout'], '3h']);
  const ips = t.sets.get('service-ips')!;
  assert.deepEqual([ips.kind, ips.keyType, ips.dataType], ['map', ['ipv4_addr', 'inet_proto', 'inet_service'], 'verdict']);
  assert.deepEqual(ips.elements.map((e) => e.line), [40, 41, 42, 43, 44, 45, 46, 47, 48]);
  assert.deepEqual(t.sets.get('no-endpoint-services')!.elements.map((e) => [e.key.join(' . '), e.comment, e.data && 'kind' in e.data ? e.data.kind : e.data]),
    [['1.2.3.4 . tcp . 80', 'ns2/svc2:p80', 'drop'], ['192.168.99.22 . tcp . 80', 'ns2/svc2:p80', 'drop'], ['172.30.0.46 . tcp . 80', 'ns6/svc6:p80', 'goto']]);
});

const stmtsOf = (r: NftRuleset, table: string, chain: string): NftStmt[][] => r.tables.get(table)!.chains.get(chain)!.rules.map((x) => x.stmts);

void test('statements read into their parts: vmap on a concatenation, numgen, dynset, NAT, marks, fib, xt', () => {
  const r = parseNftRuleset(read('mixed.list.nft'));
  const kp = (c: string): NftStmt[][] => stmtsOf(r.value, 'ip kube-proxy', c);
  const [vm] = kp('services')[0];
  assert.equal(vm.kind, 'vmap');
  if (vm.kind === 'vmap') {
    assert.deepEqual(vm.key.kind === 'concat' && vm.key.parts.map((p) => p.kind), ['payload', 'meta', 'payload']);
    assert.deepEqual(vm.map, { kind: 'setref', name: 'service-ips', start: vm.map.start, end: vm.map.end });
  }
  const [ng] = kp('service-LAUZTJTB-ns4/svc4/tcp/p80')[1];
  assert.equal(ng.kind, 'vmap');
  if (ng.kind === 'vmap' && ng.key.kind === 'numgen' && ng.map.kind === 'set') {
    assert.deepEqual([ng.key.mode, ng.key.modulus, ng.key.offset], ['random', 2, 0]);
    assert.deepEqual(ng.map.elements.map((e) => [e.key, e.data && 'chain' in e.data ? e.data.chain : undefined]),
      [[['0'], 'endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80'], [['1'], 'endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80']]);
  } else assert.fail('numgen vmap');
  const [, dyn] = kp('endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80').map((s) => s[0]);
  assert.deepEqual(dyn.kind === 'dynset' && [dyn.op, dyn.set, printExpr(dyn.key)], ['update', 'affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80', 'ip saddr']);
  const [dnat] = kp('endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80')[2].slice(1);
  assert.deepEqual(dnat.kind === 'nat' && [dnat.type, dnat.to], ['dnat', '10.180.0.3:80']);
  const [mark] = kp('mark-for-masquerade')[0];
  assert.deepEqual(mark.kind === 'set' && [printExpr(mark.target), mark.value.kind, printExpr(mark.value)], ['meta mark', 'binop', 'meta mark | 0x00004000']);
  const nat = stmtsOf(r.value, 'ip nat', 'pre');
  assert.deepEqual(nat.map((s) => s.filter((x) => x.kind === 'nat').map((x) => x.kind === 'nat' && [x.type, x.to, x.mapKey?.kind, x.map?.kind])), [
    [['redirect', ':80', undefined, undefined]], [['dnat', undefined, 'payload', 'setref']], [['dnat', undefined, 'hash', 'set']], [['dnat', undefined, 'numgen', 'set']], [['dnat', '10.0.0.1-10.0.0.3:80-90', undefined, undefined]],
  ]);
  const post = stmtsOf(r.value, 'ip nat', 'POSTROUTING');
  assert.deepEqual(post[0][0].kind === 'match' && post[0][0].left.kind === 'fib' && [post[0][0].left.flags, post[0][0].left.result, post[0][0].op], [['daddr'], 'type', '!=']);
  assert.deepEqual(post[1][0].kind === 'xt' && [post[1][0].type, post[1][0].name], ['match', 'recent']);
  assert.equal(r.value.tables.get('ip nat')!.iptablesNft, true);
  assert.equal(r.value.tables.get('ip filter')!.iptablesNft, true);
  assert.equal(r.value.tables.get('ip kube-proxy')!.iptablesNft, false);
  const input = stmtsOf(r.value, 'inet filter', 'input');
  assert.deepEqual(input[0][0].kind === 'match' && input[0][0].right.kind === 'list' && input[0][0].right.items.map(printExpr), ['established', 'related']);
  const reject = input.find((s) => s.some((x) => x.kind === 'verdict' && x.verdict.kind === 'reject' && x.verdict.detail === 'icmp host-prohibited'));
  assert.ok(reject);
  const limit = input.flat().find((s) => s.kind === 'limit');
  assert.deepEqual(limit?.kind === 'limit' && [limit.rate, limit.over], ['10/second', false]);
  const counter = input.flat().find((s) => s.kind === 'counter' && s.packets !== undefined);
  assert.deepEqual(counter?.kind === 'counter' && [counter.packets, counter.bytes], [0, 0]);
  const tmo = r.value.tables.get('inet filter')!.sets.get('tmo')!;
  assert.deepEqual(tmo.elements.map((e) => [e.key, e.timeout, e.expires !== undefined]), [[['10.0.0.1', '80'], '30m', true], [['10.0.0.2', '443'], undefined, true]]);
  const nd = r.value.tables.get('netdev nd')!.chains.get('c')!.hook!;
  assert.deepEqual([nd.hook, nd.device, nd.priority], ['ingress', 'lo', -500]);
  assert.deepEqual([...r.value.tables.keys()], ['ip kube-proxy', 'inet filter', 'ip nat', 'ip6 six', 'arp a', 'bridge b', 'netdev nd', 'ip filter']);
});

void test('nft -f input: every family, one-line blocks, priorities with offsets, insert and delete', () => {
  const text = [
    'add table inet fw',
    'add chain inet fw in { type filter hook input priority filter + 5 ; policy drop ; }',
    'add rule inet fw in tcp dport 22 accept',
    'insert rule inet fw in ct state established,related accept',
    'add rule inet fw in queue num 3 bypass',
    'add rule inet fw in meta l4proto { tcp, udp } th dport 53 accept',
    'table bridge br { chain f { type filter hook forward priority filter; ether type arp accept; } }',
    'table ip n { chain p { type nat hook postrouting priority srcnat - 10; policy accept; masquerade random,persistent; } }',
    'delete table bridge br',
  ].join('\n');
  const r = parseNftRuleset(text);
  assert.deepEqual(keys(r.issues), []);
  const fw = r.value.tables.get('inet fw')!.chains.get('in')!;
  assert.deepEqual([fw.hook!.priority, fw.hook!.policy], [5, 'drop']);
  assert.deepEqual(fw.rules.map(printNftRule), ['ct state established,related accept', 'tcp dport 22 accept', 'queue num 3 bypass', 'meta l4proto { tcp, udp } th dport 53 accept']);
  assert.deepEqual([...r.value.tables.keys()], ['inet fw', 'ip n']);
  const p = r.value.tables.get('ip n')!.chains.get('p')!;
  assert.equal(p.hook!.priority, 90);
  assert.deepEqual(p.rules[0].stmts[0].kind === 'nat' && p.rules[0].stmts[0].flags, ['random', 'persistent']);
});

void test('problems are positioned issues, and the rest of the ruleset is still read', () => {
  const text = [
    'table ip t {',                                  // 1
    '  chain c {',                                    // 2
    '    tcp dport 22 frobnicate 7 accept',           // 3: unknown statement
    '    type filter hook input priority sideways;',  // 4: bad priority name
    '    ip saddr { 10.0.0.1, 10.0.0.2 accept',       // 5: `{` never closed on its line … the set swallows to the end
    '  }',
    '}',
  ].join('\n');
  const r = parseNftRuleset(text);
  assert.ok(keys(r.issues).includes('warning nft-unknown-statement 3:18-37'), keys(r.issues).join('\n'));
  assert.ok(keys(r.issues).includes('error nft-bad-priority 4:37-45'), keys(r.issues).join('\n'));
  assert.ok(r.issues.some((i) => i.code === 'nft-unbalanced-brace'), keys(r.issues).join('\n'));
  const c = r.value.tables.get('ip t')!.chains.get('c')!;
  assert.equal(c.rules[0].stmts[1].kind, 'unknown');
  assert.equal(c.rules[0].span.line, 3);

  const extra = parseNftRuleset('}\ntable ip x {\n chain y {\n  accept\n }\n}\n}\n');
  assert.deepEqual(keys(extra.issues), ['error nft-unbalanced-brace 1:1-2', 'error nft-unbalanced-brace 7:1-2']);
  assert.equal(extra.value.tables.get('ip x')!.chains.get('y')!.rules.length, 1);

  const open = parseNftRuleset('table ip x {\n chain y {\n  accept\n');
  assert.deepEqual(keys(open.issues), ['error nft-unbalanced-brace 2:10-11', 'error nft-unbalanced-brace 1:12-13']);

  const junk = parseNftRuleset('\u0000\u0001\u00ff\ufffd garbage { } ;; "unterminated\n@@@ ((( ))) table');
  assert.ok(junk.issues.length > 0);
  for (const i of junk.issues) assert.ok(i.span.line >= 1 && i.span.column >= 1 && i.span.end >= i.span.start, JSON.stringify(i));
});
