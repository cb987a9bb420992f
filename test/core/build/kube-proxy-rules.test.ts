/**
 * Rules generated as kube-proxy (iptables mode) would write them, for nodes
 * without an iptables dump: the text (independent of any parser), then the
 * parsed state with origins at the Service port that caused each rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKubeProxyRules, cascadeProbability, servicePortName } from '../../../src/core/build/kube-proxy-rules';
import { loadInline } from './fixture';

const SPEC = `  clusterCIDR: 10.244.0.0/16
  nodes:
    - {name: n0, ip: 10.240.0.4, podCIDR: 10.244.0.0/24}
  pods:
    - {name: a, node: n0, ip: 10.244.0.2, labels: {app: web}}
    - {name: b, node: n0, ip: 10.244.0.3, labels: {app: web}}
    - {name: c, node: n0, ip: 10.244.0.4, labels: {app: web}}
    - {name: d, node: n0, ip: 10.244.0.5, labels: {app: web}, ready: false}
  services:
    - name: web
      clusterIP: 10.0.0.20
      type: NodePort
      selector: {app: web}
      ports:
        - {name: http, port: 80, targetPort: 8080, nodePort: 30080}
    - name: empty
      namespace: shop
      clusterIP: 10.0.0.21
      selector: {app: none}
      ports:
        - {port: 81, protocol: UDP}
    - {name: headless, clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
`;

function generated() {
  const l = loadInline(SPEC);
  return { l, g: generateKubeProxyRules(l.cluster.services, l.topology.services, l.topology.clusterCIDR, l.topology.file) };
}
const rulesOf = (text: string, chainPrefix: string) => text.split('\n').filter((x) => x.startsWith(`-A ${chainPrefix}`));

void test('cascade probabilities: 1/(n-i) with 10 decimals', () => {
  assert.deepEqual([0, 1, 2].map((i) => cascadeProbability(i, 3)), ['0.3333333333', '0.5000000000', '1.0000000000']);
  assert.equal(servicePortName({ namespace: 'ns', name: 's' }, undefined), 'ns/s');
});

void test('a Service with 3 ready endpoints: KUBE-SVC cascade 0.3333333333, 0.5000000000, then unconditional', () => {
  const { g } = generated();
  const svc = rulesOf(g.text, 'KUBE-SVC-');
  assert.equal(svc.length, 4, 'masquerade rule + one jump per ready endpoint (the unready pod d is not one)');
  assert.match(svc[0], /^-A (KUBE-SVC-\w{16}) ! -s 10\.244\.0\.0\/16 -d 10\.0\.0\.20\/32 -p tcp -m comment --comment "default\/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ$/);
  const probs = svc.slice(1).map((r) => /--probability (\S+)/.exec(r)?.[1]);
  assert.deepEqual(probs, ['0.3333333333', '0.5000000000', undefined]);
  const dnat = rulesOf(g.text, 'KUBE-SEP-').filter((r) => r.includes('DNAT')).map((r) => /--to-destination (\S+)/.exec(r)?.[1]);
  assert.deepEqual(dnat, ['10.244.0.2:8080', '10.244.0.3:8080', '10.244.0.4:8080']);
  const masq = rulesOf(g.text, 'KUBE-SEP-').filter((r) => r.includes('KUBE-MARK-MASQ')).map((r) => /-s (\S+)/.exec(r)?.[1]);
  assert.deepEqual(masq, ['10.244.0.2/32', '10.244.0.3/32', '10.244.0.4/32']);
});

void test('KUBE-SERVICES: one rule per port, the NodePort jump last; NodePort goes through KUBE-EXT', () => {
  const { g } = generated();
  const nat = g.text.slice(g.text.indexOf('*nat'));
  const services = rulesOf(nat, 'KUBE-SERVICES ');
  assert.equal(services.length, 2);
  assert.match(services[0], /-d 10\.0\.0\.20\/32 -p tcp -m comment --comment "default\/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-/);
  assert.match(services[1], /-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS$/);
  assert.match(rulesOf(nat, 'KUBE-NODEPORTS ')[0], /-p tcp -m comment --comment default\/web:http -m tcp --dport 30080 -j KUBE-EXT-/);
  assert.deepEqual(rulesOf(nat, 'KUBE-MARK-MASQ '), ['-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000']);
  assert.deepEqual(rulesOf(nat, 'KUBE-POSTROUTING '), [
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  ]);
  for (const hook of ['PREROUTING', 'OUTPUT']) assert.deepEqual(rulesOf(nat, `${hook} `), [`-A ${hook} -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`]);
  assert.deepEqual(rulesOf(nat, 'POSTROUTING '), ['-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING']);
});

void test('a Service without endpoints gets the filter-table REJECT, and no nat chains; a headless one gets nothing', () => {
  const { g } = generated();
  const filter = g.text.slice(g.text.indexOf('*filter'), g.text.indexOf('*nat'));
  assert.deepEqual(rulesOf(filter, 'KUBE-SERVICES '), [
    '-A KUBE-SERVICES -d 10.0.0.21/32 -p udp -m comment --comment "shop/empty has no endpoints" -m udp --dport 81 -j REJECT --reject-with icmp-port-unreachable',
  ]);
  assert.ok(!g.text.includes('shop/empty cluster IP'));
  assert.ok(!g.text.includes('default/headless'));
});

void test('a node without dumps gets the generated rules, marked generated', () => {
  const { l } = generated();
  const nf = l.cluster.hosts.get('n0')?.netfilter;
  assert.equal(nf?.generated, true);
});

// Needs parseIptablesSave (another engineer's parser) to read the generated text.
void test('with parseIptablesSave: generated rules parse cleanly and point at the Service port that caused them', () => {
  const { l } = generated();
  assert.deepEqual(l.issues.filter((i) => i.code.startsWith('generated-')), []);
  const nf = l.cluster.hosts.get('n0')!.netfilter!;
  const nat = nf.ruleset.tables.get('nat')!;
  const svcChain = [...nat.chains.keys()].find((c) => c.startsWith('KUBE-SVC-'))!;
  assert.equal(nat.chains.get(svcChain)!.rules.length, 4);
  // The web Service's port entry is line 18 of the file (4 header lines + its line in SPEC), at its "- " item's map.
  const portLine = 4 + SPEC.split('\n').findIndex((x) => x.includes('nodePort: 30080')) + 1;
  for (let i = 1; i <= 4; i++) {
    const o = nf.origins.get(`nat/${svcChain}/${i}`)!;
    assert.deepEqual([o.file, o.line, o.column], ['t.netsim.yaml', portLine, 11]);
    assert.equal(o.text, nat.chains.get(svcChain)!.rules[i - 1].raw);
  }
  const rejectOrigin = nf.origins.get('filter/KUBE-SERVICES/1')!;
  assert.equal(rejectOrigin.line, 4 + SPEC.split('\n').findIndex((x) => x.includes('{port: 81')) + 1);
  // Rules every kube-proxy installs point at the node that has them.
  const nodeLine = 4 + SPEC.split('\n').findIndex((x) => x.includes('{name: n0')) + 1;
  assert.equal(nf.origins.get('nat/KUBE-MARK-MASQ/1')!.line, nodeLine);
  assert.equal(nf.origins.size, [...nf.ruleset.tables.values()].reduce((n, t) => n + [...t.chains.values()].reduce((m, c) => m + c.rules.length, 0), 0));
});

void test('what the generator cannot know is said at the Service: named targetPort, Local traffic policy', () => {
  const spec = `  nodes:
    - {name: n0, ip: 10.240.0.4, podCIDR: 10.244.0.0/24}
  pods:
    - {name: a, node: n0, ip: 10.244.0.2, labels: {app: web}}
  services:
    - name: web
      clusterIP: 10.0.0.20
      externalTrafficPolicy: Local
      selector: {app: web}
      ports:
        - {name: http, port: 80, targetPort: http-web}
`;
  const { issues, cluster } = loadInline(spec);
  const got = issues.filter((i) => i.code.startsWith('kube-proxy-')).map((i) => [i.code, i.severity, i.span.line]);
  assert.deepEqual(got, [['kube-proxy-traffic-policy-ignored', 'info', 10], ['kube-proxy-named-target-port', 'warning', 15]]);
  const g = generateKubeProxyRules(cluster.services, [], undefined, 't.netsim.yaml');
  assert.ok(g.text.includes('--to-destination 10.244.0.2:80'), 'the Service port stands in for the unknown container port');
});
