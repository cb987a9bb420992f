/**
 * The seed write-up's `iptables -t nat -L -n -v` excerpts (Azure kubenet, kube-dns
 * 10.0.0.10:53 split 50/50 over two pods) read into exactly the rules kube-proxy
 * wrote, as iptables-save would print them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIptablesList } from '../../../src/core/parse/iptables/parse-iptables-list';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import { issueKeys, plainRuleset } from './iptables-helpers';
import { SEED_FILE } from '../../fixtures/dirs';

const SEED = readFileSync(SEED_FILE, 'utf8').split('\n');

/** The pasted blocks: from each `# iptables -t nat -L -n -v` line through the listing lines that follow it (the prose after is left out). */
function listingBlocks(): { firstLine: number; lines: string[] }[] {
  const blocks: { firstLine: number; lines: string[] }[] = [];
  SEED.forEach((l, i) => {
    if (l.trim() !== '# iptables -t nat -L -n -v') return;
    const lines = [l];
    for (let j = i + 1; j < SEED.length && /^(\.\.\.|Chain \S+ \(|pkts bytes|\d+ \d+ )/.test(SEED[j]); j++) lines.push(SEED[j]);
    blocks.push({ firstLine: i + 1, lines });
  });
  return blocks;
}

const KUBE_PROXY_SAVE = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
:KUBE-SEP-BWHGELGX6BITPZVO - [0:0]
-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.0.0.10/32 -p tcp -m tcp --dport 53 -j KUBE-MARK-MASQ
-A KUBE-SERVICES -d 10.0.0.10/32 -p tcp -m tcp --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-IT2ZTR26TO4XFPTO
-A KUBE-SVC-ERIFXISQEP7F7OF4 -j KUBE-SEP-BWHGELGX6BITPZVO
-A KUBE-SEP-IT2ZTR26TO4XFPTO -s 10.244.0.2/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-IT2ZTR26TO4XFPTO -p tcp -m tcp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-BWHGELGX6BITPZVO -s 10.244.1.2/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-BWHGELGX6BITPZVO -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:53
COMMIT
`;

void test('seed: the four listing excerpts are found', () => {
  const blocks = listingBlocks();
  assert.equal(blocks.length, 4);
  assert.deepEqual(blocks.map((b) => b.lines.length), [7, 7, 6, 6]);
});

void test('seed: the listing excerpts read into the rules kube-proxy wrote', () => {
  const text = listingBlocks().map((b) => b.lines.join('\n')).join('\n');
  const r = parseIptablesList(text);
  assert.deepEqual([...r.value.tables.keys()], ['nat']);
  // Prompts and `...` cuts are reported as infos on their own lines, nothing else but the jumps to chains the excerpts do not show.
  const expectedInfos = text.split('\n').flatMap((l, i) =>
    l === '...' ? [`info pasted-elision ${i + 1}:1-4`] : l.startsWith('# iptables') ? [`info pasted-prompt ${i + 1}:1-${l.length + 1}`] : [],
  );
  assert.equal(expectedInfos.length, 10);
  assert.deepEqual(issueKeys(r.issues, (i) => i.code.startsWith('pasted-')), expectedInfos);
  assert.deepEqual(
    issueKeys(r.issues, (i) => !i.code.startsWith('pasted-')).map((k) => k.split(' ')[1]),
    ['iptables-unknown-target', 'iptables-unknown-target', 'iptables-unknown-target'],
  );
  const expected = parseIptablesSave(KUBE_PROXY_SAVE);
  assert.deepEqual(issueKeys(expected.issues, (i) => i.code !== 'iptables-unknown-target'), []);
  assert.deepEqual(plainRuleset(r.value, { counters: true, unknown: true }), plainRuleset(expected.value, { counters: true, unknown: true }));
});

void test('seed: what the simulator needs is there, spelled the iptables-save way', () => {
  const text = listingBlocks().map((b) => b.lines.join('\n')).join('\n');
  const nat = parseIptablesList(text).value.tables.get('nat')!;
  const [masq, svc] = nat.chains.get('KUBE-SERVICES')!.rules;
  assert.deepEqual(masq.source, { negated: true, value: '10.244.0.0/16' });
  assert.deepEqual(masq.matches.map((m) => [m.module, m.options.map((o) => [o.name, ...o.values])]), [['tcp', [['--dport', '53']]]]);
  assert.deepEqual(svc.destination, { negated: false, value: '10.0.0.10/32' });
  assert.deepEqual(masq.counters, { packets: 0, bytes: 0 });
  assert.deepEqual(masq.unknown, undefined);
  const [pick] = nat.chains.get('KUBE-SVC-ERIFXISQEP7F7OF4')!.rules;
  assert.deepEqual(pick.matches[0].options.map((o) => [o.name, ...o.values]), [['--mode', 'random'], ['--probability', '0.50000000000']]);
  const dnat = nat.chains.get('KUBE-SEP-IT2ZTR26TO4XFPTO')!.rules[1];
  assert.deepEqual([dnat.target?.name, dnat.target?.options.map((o) => [o.name, ...o.values])], ['DNAT', [['--to-destination', '10.244.0.2:53']]]);
  assert.equal(nat.chains.get('KUBE-SVC-ERIFXISQEP7F7OF4')!.references, 1);
});
