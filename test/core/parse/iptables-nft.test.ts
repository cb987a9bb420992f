import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNft } from '../../../src/core/parse/nft/parse-nft';
import { corpusFiles, issueKeys, spansInside } from './iptables-helpers';

for (const f of corpusFiles('nftables-kube-proxy', /\.nft\.txt$/)) {
  void test(`corpus nft: ${f.name} summarised with counts from plain line filters`, () => {
    const r = parseNft(f.text);
    assert.deepEqual(issueKeys(r.issues), []);
    const lines = f.text.split('\n');
    const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
    const [t] = [...r.value.tables.values()];
    assert.equal(r.value.tables.size, count(/^add table /));
    assert.equal(t.chains.size, count(/^add chain /) - count(/^delete chain /));
    assert.equal([...t.chains.values()].reduce((n, c) => n + c.rules.length, 0), count(/^add rule /));
    assert.equal(t.sets.size, count(/^add (set|map) /));
    // `add element … { a }` lines of the corpus hold one element each.
    assert.equal([...t.sets.values()].reduce((n, s) => n + s.elements.length, 0), count(/^add element /));
    for (const c of t.chains.values()) for (const rule of c.rules) assert.equal(lines[rule.span.line - 1].includes(rule.text), true);
  });
}

void test('nft: base chain hooks and verdicts of the kube-proxy base rules', () => {
  const [f] = corpusFiles('nftables-kube-proxy', /baseRules/);
  const t = parseNft(f.text).value.tables.get('ip kube-proxy')!;
  assert.deepEqual(t.chains.get('nat-prerouting')!.hook, { type: 'nat', hook: 'prerouting', priority: '-100' });
  assert.equal(t.chains.get('services')!.hook, undefined);
  assert.deepEqual(t.chains.get('services')!.rules.map((r) => r.verdict), ['vmap @service-ips', 'vmap @service-nodeports']);
  assert.equal(t.sets.get('service-ips')!.kind, 'map');
  assert.equal(t.sets.get('service-ips')!.type, 'ipv4_addr . inet_proto . inet_service : verdict');
});

void test('nft: `nft list ruleset` blocks, multi-line elements, and problems', () => {
  const text = 'table ip filter {\n  set s {\n    type ipv4_addr\n    elements = { 10.0.0.1, 10.0.0.2,\n      10.0.0.3 }\n  }\n  chain input {\n    type filter hook input priority filter; policy drop;\n    ip saddr @s accept\n    tcp dport 22 counter accept comment "ssh"\n  }\n}\n}\ntable ip6 x {\n';
  const r = parseNft(text);
  const t = r.value.tables.get('ip filter')!;
  assert.deepEqual(t.sets.get('s')!.elements.map((e) => e.text), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  const input = t.chains.get('input')!;
  assert.deepEqual([input.hook?.hook, input.policy, input.rules.length], ['input', 'drop', 2]);
  assert.deepEqual(issueKeys(r.issues), ['error nft-unbalanced-brace 13:1-2', 'warning nft-ipv6 14:1-14', 'error nft-unbalanced-brace 14:1-14']);
  assert.ok(spansInside(r.issues, text));
});

void test('nft: commands on things never added are reported', () => {
  const r = parseNft('add table ip t\nadd rule ip t nochain accept\nadd element ip t noset { 1.2.3.4 }\nadd chain ip u c\n');
  assert.deepEqual(issueKeys(r.issues).map((k) => k.split(' ').slice(0, 2).join(' ')), ['warning nft-unknown-chain', 'warning nft-unknown-set', 'warning nft-unknown-table']);
});
