/**
 * Generated rules against kube-proxy's own expected output (the corpus'
 * TestOverallIPTablesRules dump): for the Services of that test that the
 * generator models (ClusterIP, NodePort, externalIPs, two endpoints, no
 * endpoints), every rule of their chains must mean the same thing. Needs
 * parseIptablesSave (another engineer's parser) to read both texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import type { Rule, Ruleset } from '../../../src/core/model/netfilter';
import { CORPUS } from '../../fixtures/dirs';
import { formatPrefix, parsePrefix } from '../../../src/core/net/ipv4';
import { loadInline } from './fixture';

const OVERALL = readFileSync(join(CORPUS, 'iptables-kube-proxy', 'k8s-TestOverallIPTablesRules.iptables-save.txt'), 'utf8');

// The test's services (from its meta.json), in the topology format; pods stand in for its EndpointSlices.
const SPEC = `  clusterCIDR: 10.0.0.0/8
  nodes:
    - {name: test-node, ip: 192.168.0.2, podCIDR: 10.180.0.0/24}
  pods:
    - {name: e1, namespace: ns1, node: test-node, ip: 10.180.0.1, labels: {app: svc1}}
    - {name: e3, namespace: ns3, node: test-node, ip: 10.180.0.3, labels: {app: svc3}}
    - {name: e4, namespace: ns4, node: test-node, ip: 10.180.0.4, labels: {app: svc4}}
    - {name: e5, namespace: ns4, node: test-node, ip: 10.180.0.5, labels: {app: svc4}}
  services:
    - {name: svc1, namespace: ns1, clusterIP: 172.30.0.41, selector: {app: svc1}, ports: [{name: p80, port: 80}]}
    - {name: svc3, namespace: ns3, type: NodePort, clusterIP: 172.30.0.43, selector: {app: svc3}, ports: [{name: p80, port: 80, nodePort: 3003}]}
    - {name: svc4, namespace: ns4, type: NodePort, clusterIP: 172.30.0.44, externalIPs: [192.168.99.33], selector: {app: svc4}, ports: [{name: p80, port: 80, targetPort: 80}]}
    - {name: svc6, namespace: ns6, clusterIP: 172.30.0.46, selector: {app: svc6}, ports: [{name: p80, port: 80, targetPort: 80}]}
`;

/** Options iptables-save prints although they are defaults; kube-proxy's test output omits them. */
const DEFAULTS = new Set(['--reject-with icmp-port-unreachable', '--mask 255.255.255.255', '--rsource', '--random-fully']);

/** A rule's meaning, independent of option order and of `/32` on host addresses. */
function meaning(r: Rule): string {
  const addr = (a?: { negated: boolean; value: string }) => (a ? `${a.negated ? '!' : ''}${formatPrefix(parsePrefix(a.value)!)}` : '');
  const opts = (o: { name: string; values: string[]; negated: boolean }[]) => o.map((x) => `${x.negated ? '! ' : ''}${x.name}${x.values.length ? ` ${x.values.join(' ')}` : ''}`).filter((x) => !DEFAULTS.has(x)).sort().join(' ');
  const matches = r.matches.map((m) => `${m.module}(${opts(m.options)})`).sort().join(' ');
  return [`p=${r.protocol?.value ?? ''}`, `s=${addr(r.source)}`, `d=${addr(r.destination)}`, matches, `-j ${r.target?.name ?? ''}(${r.target ? opts(r.target.options) : ''})`].join(' ');
}

function chainMeanings(rs: Ruleset, table: string, chain: string, keep: (r: Rule) => boolean = () => true): string[] {
  return (rs.tables.get(table)?.chains.get(chain)?.rules ?? []).filter(keep).map(meaning);
}

void test('with parseIptablesSave: generated chains mean what kube-proxy\'s own output means', async (t) => {
  const expected = parseIptablesSave(OVERALL).value;
  const { cluster } = loadInline(SPEC);
  const got = cluster.hosts.get('test-node')!.netfilter!.ruleset;
  const ours = /ns[1346]\/svc[1346]:p80\b/;
  const commentOf = (r: Rule) => r.matches.find((m) => m.module === 'comment')?.options[0]?.values[0] ?? '';
  const cases: [string, string, ((r: Rule) => boolean)?][] = [
    ['nat', 'KUBE-SVC-XPGD46QRK7WJZT7O'], ['nat', 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
    ['nat', 'KUBE-SVC-X27LE4BHSL4DOUIK'], ['nat', 'KUBE-EXT-X27LE4BHSL4DOUIK'], ['nat', 'KUBE-SEP-OYPFS5VJICHGATKP'],
    ['nat', 'KUBE-SVC-4SW47YFZTEDKD3PK'], ['nat', 'KUBE-EXT-4SW47YFZTEDKD3PK'], ['nat', 'KUBE-SEP-UKSFD7AGPMPPLUHC'], ['nat', 'KUBE-SEP-C6EBXVWJJZMIWKLZ'],
    ['nat', 'KUBE-MARK-MASQ'],
    // kube-proxy's localhost NodePort rules (-d 127.0.0.0/8, nfacct) are not generated: see kube-proxy-rules.ts.
    ['nat', 'KUBE-NODEPORTS', (r) => ours.test(commentOf(r)) && r.destination === undefined],
    ['nat', 'KUBE-SERVICES', (r) => ours.test(commentOf(r)) || commentOf(r).startsWith('kubernetes service nodeports')],
    ['filter', 'KUBE-SERVICES', (r) => ours.test(commentOf(r))],
  ];
  for (const [table, chain, keep] of cases) {
    await t.test(`${table} ${chain}`, () => {
      const want = chainMeanings(expected, table, chain, keep);
      assert.ok(want.length > 0, 'the corpus has rules for this chain');
      assert.deepEqual(chainMeanings(got, table, chain, keep), want);
    });
  }
});
