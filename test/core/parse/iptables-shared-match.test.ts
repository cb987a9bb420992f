/**
 * Matches read from the same text are one shared, frozen object (see sharedMatch):
 * the sharing must never change what a rule says. Each case is a chain whose rules
 * write a match with the same text in contexts that could change what it holds; the
 * rules parsed together must equal each rule parsed alone, with the same issues.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import type { Rule } from '../../../src/core/model/netfilter';
import { generateKubeProxyDump } from '../../../scripts/gen-kube-proxy-dump';
import { issueKeys } from './iptables-helpers';

const dump = (rules: string[]): string => ['*filter', ':C - [0:0]', ...rules.map((r) => `-A C ${r}`), 'COMMIT', ''].join('\n');

const CASES: [string, string[]][] = [
  // CONNMARK knows --mask, and so does recent: written before the match, the target takes it.
  ['a target before the match takes an option the match also knows', [
    '-j CONNMARK --set-mark 1 -m recent --mask 255.255.255.0 --rcheck',
    '-m recent --mask 255.255.255.0 --rcheck -j CONNMARK --set-mark 1',
    '-m recent --mask 255.255.255.0 --rcheck -j ACCEPT',
  ]],
  ['an implied match: "!" before its first option sits outside its text', [
    '-p tcp ! --dport 80 -j ACCEPT',
    '-p tcp --dport 80 -j ACCEPT',
    '-p udp --dport 80 -j ACCEPT',
  ]],
  ['negation inside the match text', [
    '-m tcp -p tcp ! --dport 80 -j ACCEPT',
    '-m tcp -p tcp --dport 80 -j ACCEPT',
    '-m tcp -p tcp --dport 80 -j DROP',
  ]],
  ['an unknown module takes its options greedily, unless an unknown target came first', [
    '-m weird --x 1 -j ACCEPT',
    '-j WEIRD -m weird --x 1',
    '-m weird --x 1 -j ACCEPT',
  ]],
  ['quoted and unquoted comments', [
    '-m comment --comment "a b" -j ACCEPT',
    '-m comment --comment a -j ACCEPT',
    '-m comment --comment "a b" -j ACCEPT',
    '-m comment --comment a b -j ACCEPT',
  ]],
  ['the statistic cascade', [
    '-m statistic --mode random --probability 0.5000000000 -j ACCEPT',
    '-m statistic --mode random --probability 0.5000000000 -j DROP',
    '-m statistic --mode nth --every 2 --packet 0 -j ACCEPT',
  ]],
];

const body = (r: Rule): unknown => ({ ...r, index: 0, span: undefined, raw: undefined });

for (const [name, rules] of CASES) {
  void test(`shared matches: ${name}`, () => {
    const together = parseIptablesSave(dump(rules));
    const got = together.value.tables.get('filter')!.chains.get('C')!.rules;
    assert.equal(got.length, rules.length);
    const aloneIssues: string[] = [];
    rules.forEach((r, k) => {
      const alone = parseIptablesSave(dump([r]));
      assert.deepEqual(body(got[k]), body(alone.value.tables.get('filter')!.chains.get('C')!.rules[0]), r);
      // The lone rule sits on line 3; in the chain, rule k sits on line 3 + k.
      aloneIssues.push(...issueKeys(alone.issues).map((i) => i.replace(/ 3:/, ` ${3 + k}:`)));
    });
    assert.deepEqual(issueKeys(together.issues).sort(), aloneIssues.sort());
  });
}

void test('shared matches: kube-proxy\'s repeated matches are one frozen object', () => {
  const r = parseIptablesSave(generateKubeProxyDump({ services: 3, endpointsPerService: 4, seed: 1 }));
  const nat = r.value.tables.get('nat')!;
  const statistic = new Map<string, object>();
  let shared = 0;
  for (const [name, c] of nat.chains) {
    if (!name.startsWith('KUBE-SVC-')) continue;
    for (const rule of c.rules) {
      for (const m of rule.matches) {
        if (m.module !== 'statistic') continue;
        const key = JSON.stringify(m.options);
        const prev = statistic.get(key);
        if (prev) {
          assert.equal(m, prev, key);
          assert.ok(Object.isFrozen(m) && Object.isFrozen(m.options), key);
          shared++;
        } else statistic.set(key, m);
      }
    }
  }
  // 3 services × a cascade of 3 probabilities: the last two services reuse the first one's.
  assert.equal(statistic.size, 3);
  assert.equal(shared, 6);
  // A KUBE-SEP chain's two rules share their comment match.
  for (const [name, c] of nat.chains) {
    if (name.startsWith('KUBE-SEP-')) assert.equal(c.rules[0].matches[0], c.rules[1].matches[0], name);
  }
});
