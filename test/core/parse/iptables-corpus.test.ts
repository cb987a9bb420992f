/**
 * Every iptables dump of the corpus: read without error-level issues, with rule
 * and chain counts checked against counts made here by plain line filters (not
 * by the parser), and, for the formats that can be printed back, a round trip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import { parseIptablesS } from '../../../src/core/parse/iptables/parse-iptables-s';
import { parseIptablesList } from '../../../src/core/parse/iptables/parse-iptables-list';
import { printIptablesSave } from '../../../src/core/parse/iptables/print-iptables-save';
import type { Ruleset } from '../../../src/core/model/netfilter';
import { corpusFiles, issueKeys, plainRuleset } from './iptables-helpers';

/** Per table: chains (declared, minus -X) and `-A` lines, counted by line filters. */
function countCommands(text: string, defaultTable: string): Map<string, { chains: Set<string>; rules: number }> {
  const out = new Map<string, { chains: Set<string>; rules: number }>();
  let table = defaultTable;
  const get = () => {
    if (!out.has(table)) out.set(table, { chains: new Set(), rules: 0 });
    return out.get(table)!;
  };
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith(':')) get().chains.add(w[0].slice(1));
    else if (w[0] === '-N' || w[0] === '-P') get().chains.add(w[1]);
    else if (w[0] === '-X') get().chains.delete(w[1]);
    else if (w[0] === '-A' || (line.startsWith('[') && w[1] === '-A')) {
      const t = get();
      t.rules++;
      t.chains.add(w[0] === '-A' ? w[1] : w[2]);
    }
  }
  return out;
}

function counts(r: Ruleset): Map<string, { chains: Set<string>; rules: number }> {
  const out = new Map<string, { chains: Set<string>; rules: number }>();
  for (const [name, t] of r.tables) {
    let rules = 0;
    for (const c of t.chains.values()) rules += c.rules.length;
    out.set(name, { chains: new Set(t.chains.keys()), rules });
  }
  return out;
}

const SAVE_FILES = [...corpusFiles('iptables-kube-proxy', /\.iptables-(save|restore)\.txt$/)];
const S_FILES = corpusFiles('iptables-other', /iptables-(S|t-nat-S)/);

for (const f of SAVE_FILES) {
  void test(`corpus iptables-save: ${f.name}`, () => {
    const r = parseIptablesSave(f.text);
    assert.deepEqual(issueKeys(r.issues, (i) => i.severity === 'error'), []);
    assert.deepEqual(counts(r.value), countCommands(f.text, 'filter'));
    // Round trip: print, read back, same model (spans and raw text aside).
    const again = parseIptablesSave(printIptablesSave(r.value));
    assert.deepEqual(issueKeys(again.issues, (i) => i.severity !== 'info' && i.code !== 'iptables-unknown-target'), []);
    assert.deepEqual(plainRuleset(again.value), plainRuleset(r.value));
  });
}

for (const f of S_FILES) {
  void test(`corpus iptables -S: ${f.name}`, () => {
    const table = /nat/.test(f.name) ? 'nat' : 'filter';
    const r = parseIptablesS(f.text, { table });
    assert.deepEqual(issueKeys(r.issues, (i) => i.severity === 'error'), []);
    assert.deepEqual(counts(r.value), countCommands(f.text, table));
    // iptables-save always prints chain counters ([0:0] when unknown); -S has none, so they are left out of the comparison.
    const again = parseIptablesSave(printIptablesSave(r.value));
    assert.deepEqual(plainRuleset(again.value, { counters: true }), plainRuleset(r.value, { counters: true }));
  });
}

/**
 * Listing rows counted by line filters: every line that is not blank, a `Chain`
 * header, a column header, a prompt or an elision is a row; a row that a
 * second listing of the same chain repeats counts once.
 */
function countListing(text: string): { chains: Set<string>; rules: number } {
  const rowsByChain = new Map<string, string[]>();
  let chain = '';
  let earlier = new Set<string>();
  const enter = (name: string) => {
    chain = name;
    earlier = new Set(rowsByChain.get(name) ?? []);
  };
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t === '...' || t === '<...>') continue;
    if (t.startsWith('Chain ')) {
      enter(t.split(/\s+/)[1]);
      if (!rowsByChain.has(chain)) rowsByChain.set(chain, []);
      continue;
    }
    if (/\btarget\b.*\bsource\b.*\bdestination\b/.test(t)) continue;
    if (/^(\$|#|\/ #|root@|iptables )/.test(t)) {
      const cmd = t.split('|')[0].trim().split(/\s+/);
      enter(/^(\$|#)$/.test(cmd[0]) && cmd.length > 2 && cmd[1] !== 'iptables' ? cmd[cmd.length - 1] : '');
      continue;
    }
    const key = t.replace(/\s+/g, ' ');
    if (earlier.has(key)) continue;
    if (!rowsByChain.has(chain)) rowsByChain.set(chain, []);
    rowsByChain.get(chain)!.push(key);
  }
  let rules = 0;
  for (const rows of rowsByChain.values()) rules += rows.length;
  return { chains: new Set(rowsByChain.keys()), rules };
}

// Files that are excerpts by design, and the infos that must say so.
const PARTIAL: Record<string, string[]> = {
  'calico-kind-tkng-cali-POSTROUTING.iptables-t-nat-vnL-excerpt.txt': ['pasted-elision'],
  'kindnet-kind-tkng-KIND-MASQ-AGENT.iptables-t-nat-nvL-grep-excerpt.txt': ['iptables-list-excerpt'],
  'tkng-kind-kube-proxy-iptables-nodeport-web.iptables-t-nat-nvL-per-chain.txt': ['iptables-list-excerpt'],
  'tkng-kind-kube-proxy-iptables-web-svc.iptables-t-nat-nvL-per-chain.txt': ['iptables-list-excerpt', 'iptables-list-chain-repeated'],
  'tkng-kind-ipvs-k8s-guide-worker.iptables-t-nat-nvL-per-chain.txt': ['iptables-list-chain-repeated'],
};

const LIST_FILES = [...corpusFiles('iptables-other', /L|nvL|vnL/).filter((f) => !/-S/.test(f.name)), ...corpusFiles('ipvs', /iptables/)];

for (const f of LIST_FILES) {
  void test(`corpus iptables -L: ${f.name}`, () => {
    const table = /nat/.test(f.name) ? 'nat' : 'filter';
    const r = parseIptablesList(f.text, { table });
    assert.deepEqual(issueKeys(r.issues, (i) => i.severity !== 'info'), []);
    const expected = countListing(f.text);
    const got = counts(r.value).get(table)!;
    assert.equal(got.rules, expected.rules);
    assert.deepEqual([...got.chains].sort(), [...expected.chains].sort());
    for (const code of PARTIAL[f.name] ?? []) assert.ok(r.issues.some((i) => i.code === code), `${code} expected`);
  });
}

void test('corpus: every iptables dump is covered by a test above', () => {
  const all = [...corpusFiles('iptables-kube-proxy', /\.txt$/), ...corpusFiles('iptables-other', /\.txt$/), ...corpusFiles('ipvs', /iptables/)].map((f) => f.name);
  const covered = new Set([...SAVE_FILES, ...S_FILES, ...LIST_FILES].map((f) => f.name));
  assert.deepEqual(all.filter((n) => !covered.has(n)), []);
  assert.equal(covered.size, all.length);
});
