import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetsimService } from '../../src/extension/service/netsim-service';
import { indexChains } from '../../src/extension/logic/chain-index';
import { chainOutline, withoutCounters } from '../../src/extension/logic/symbols';
import { ownerFromComments } from '../../src/extension/logic/chain-owner';

const ROOT = join(import.meta.dirname, '..', '..', 'examples', 'azure-kubenet');
const TOPO = join(ROOT, 'cluster.netsim.yaml');
const NAT0 = join(ROOT, 'k8s-agent-0', 'iptables-nat-L-n-v.txt');

function hoverOn(s: NetsimService, word: string, nth = 0) {
  const lines = readFileSync(NAT0, 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(word) ? [i] : []));
  const line = hits[nth];
  const h = s.handle('hover', { path: NAT0, root: ROOT, line, character: lines[line].indexOf(word) + 2, languageId: 'iptables-list', defaultSource: '' });
  // Markdown escapes: compare the text a reader sees.
  return h && { ...h, markdown: h.markdown.replace(/\\(.)/g, '$1') };
}

void test('a hashed kube-proxy chain\'s hover names its Service port (from the topology when the dump has no comments)', () => {
  const s = new NetsimService(() => {});
  s.handle('checkTopology', { path: TOPO, root: ROOT });
  assert.match(hoverOn(s, 'KUBE-SVC-TCOU7JCQXEZGVUNU')!.markdown, /Service \*\*kube-system\/kube-dns\*\*, port dns \(53\/UDP\): picks an endpoint/);
  assert.match(hoverOn(s, 'KUBE-SVC-ERIFXISQEP7F7OF4')!.markdown, /kube-dns\*\*, port dns-tcp \(53\/TCP\)/);
  assert.match(hoverOn(s, 'KUBE-SEP-IT2ZTR26TO4XFPTO')!.markdown, /port dns-tcp \(53\/TCP\), endpoint 10\.244\.0\.2:53: DNATs to one endpoint/);
  assert.match(hoverOn(s, 'KUBE-SVC-NPX46M4PTMTKRN6Y')!.markdown, /default\/kubernetes\*\*, port https \(443\/TCP\)/);
});

void test('the rule comments name the Service port when the topology does not know the chain', () => {
  const idx = indexChains([
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-SVC-ABCDEFGHIJKLMNOP - [0:0]',
    ':KUBE-SEP-QRSTUVWXYZ234567 - [0:0]',
    '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-ABCDEFGHIJKLMNOP',
    '-A KUBE-SVC-ABCDEFGHIJKLMNOP -j KUBE-SEP-QRSTUVWXYZ234567',
    '-A KUBE-SEP-QRSTUVWXYZ234567 -p udp -m comment --comment kube-system/kube-dns:dns -m udp -j DNAT --to-destination 10.244.0.3:53',
    'COMMIT',
  ].join('\n'));
  const svc = ownerFromComments(idx.chains.get('nat/KUBE-SVC-ABCDEFGHIJKLMNOP')!, idx);
  assert.deepEqual([svc?.service, svc?.port, svc?.from], ['kube-system/kube-dns', 'dns', 'comment']);
  const sep = ownerFromComments(idx.chains.get('nat/KUBE-SEP-QRSTUVWXYZ234567')!, idx);
  assert.equal(sep?.endpoint, '10.244.0.3:53');
  assert.equal(ownerFromComments(idx.chains.get('nat/KUBE-SERVICES')!, idx), undefined);
});

void test('a built-in target has a page saying what it is; outline entries carry no packet/byte counters', () => {
  const s = new NetsimService(() => {});
  s.handle('checkTopology', { path: TOPO, root: ROOT });
  assert.match(hoverOn(s, 'MASQUERADE')!.markdown, /^\*\*MASQUERADE\*\*\n\nA built-in iptables target/);
  assert.equal(withoutCounters('    0     0 KUBE-MARK-MASQ  all  --  *      *      10.244.1.2           0.0.0.0/0'), 'KUBE-MARK-MASQ  all  --  *      *      10.244.1.2           0.0.0.0/0');
  assert.equal(withoutCounters('  12K  720M DNAT tcp -- * * 0.0.0.0/0 0.0.0.0/0 tcp to:10.244.1.2:53'), 'DNAT tcp -- * * 0.0.0.0/0 0.0.0.0/0 tcp to:10.244.1.2:53');
  assert.equal(withoutCounters('[12:720] -A KUBE-SERVICES -j KUBE-NODEPORTS'), '-A KUBE-SERVICES -j KUBE-NODEPORTS');
  assert.equal(withoutCounters('-A KUBE-SERVICES -c 12 720 -j KUBE-NODEPORTS'), '-A KUBE-SERVICES -j KUBE-NODEPORTS');
  const outline = chainOutline(indexChains(readFileSync(NAT0, 'utf8'), 'nat'));
  const rules = outline.flatMap((c) => c.children).map((r) => r.name);
  assert.ok(rules.length > 10);
  assert.deepEqual(rules.filter((n) => /^\d+: \d/.test(n)), [], 'no rule name starts with a counter');
});
