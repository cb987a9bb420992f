/**
 * kube-proxy's full expected output of TestOverallIPTablesRules (no flows come
 * with it): from a pod, every ClusterIP of KUBE-SERVICES must lead exactly to
 * the DNAT targets its KUBE-SVC chain lists (read from the dump's text here, not
 * through the parser), with equal shares, and a Service without endpoints to
 * REJECT. The node has the test's addresses and pod CIDR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIPv4 } from '../../../src/core/net/ipv4';
import { traceFlow } from '../../../src/core/sim/trace-flow';
import { kubeProxyTestCluster } from './fixtures';
import { CORPUS } from '../../fixtures/dirs';

const raw = readFileSync(`${CORPUS}/iptables-kube-proxy/k8s-TestOverallIPTablesRules.iptables-save.txt`, 'utf8');
const lines = raw.split('\n');

/**
 * The test compares only kube-proxy's own chains; the jumps into them from the
 * built-in chains (which kube-proxy inserts separately) are added here as
 * TestTracePacket's dump shows them.
 */
const dump = raw
  .replace('*filter\n', [
    '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', '',
  ].join('\n'))
  .replace('\nCOMMIT\n*nat\n', [
    '',
    '-A INPUT -m conntrack --ctstate NEW -j KUBE-PROXY-FIREWALL',
    '-A INPUT -j KUBE-NODEPORTS',
    '-A INPUT -m conntrack --ctstate NEW -j KUBE-EXTERNAL-SERVICES',
    '-A INPUT -j KUBE-FIREWALL',
    '-A FORWARD -m conntrack --ctstate NEW -j KUBE-PROXY-FIREWALL',
    '-A FORWARD -j KUBE-FORWARD',
    '-A FORWARD -m conntrack --ctstate NEW -j KUBE-SERVICES',
    '-A FORWARD -m conntrack --ctstate NEW -j KUBE-EXTERNAL-SERVICES',
    '-A OUTPUT -m conntrack --ctstate NEW -j KUBE-PROXY-FIREWALL',
    '-A OUTPUT -m conntrack --ctstate NEW -j KUBE-SERVICES',
    '-A OUTPUT -j KUBE-FIREWALL',
    'COMMIT', '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
    '-A PREROUTING -j KUBE-SERVICES', '-A OUTPUT -j KUBE-SERVICES', '-A POSTROUTING -j KUBE-POSTROUTING', '',
  ].join('\n'));

/** ClusterIP:port → the DNAT targets of its KUBE-SVC chain's endpoints, from the raw lines. */
function expected(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of lines) {
    const m = /^-A KUBE-SERVICES .*"(\S+) cluster IP".* -d (\S+) --dport (\d+) -j (KUBE-SVC-\S+)/.exec(l);
    if (!m) continue;
    // Session affinity jumps to an endpoint twice (-m recent --rcheck, then the cascade): one endpoint.
    const seps = [...new Set(lines.filter((x) => x.startsWith(`-A ${m[4]} `) && / -j KUBE-SEP-/.test(x)).map((x) => / -j (KUBE-SEP-\S+)/.exec(x)![1]))];
    const targets = seps.map((sep) => / --to-destination (\S+)/.exec(lines.find((x) => x.startsWith(`-A ${sep} `) && x.includes('DNAT'))!)![1]);
    out.set(`${m[2]}:${m[3]}`, targets.sort());
  }
  return out;
}

const services = expected();
const endpointIPs = [...new Set([...services.values()].flat().map((t) => t.split(':')[0]))];
const cluster = kubeProxyTestCluster({ iptables: dump }, endpointIPs);

void test('TestOverallIPTablesRules: the dump names several ClusterIP services', () => assert.ok(services.size >= 4));

for (const [svc, targets] of services) {
  void test(`TestOverallIPTablesRules: pod → ${svc} reaches ${targets.join(', ')}`, () => {
    const [ip, port] = svc.split(':');
    const os = traceFlow(cluster, { srcHost: 'ns/client', src: parseIPv4('10.0.0.2')!, dst: parseIPv4(ip)!, protocol: 'tcp', srcPort: 40000, dstPort: Number(port) });
    assert.deepEqual(os.map((o) => `${o.delivered?.ip}:${o.delivered?.port}`).sort(), targets);
    for (const o of os) {
      assert.ok(Math.abs(o.probability - 1 / targets.length) < 1e-9);
      assert.equal(o.connection, 'ok', o.summary);
      assert.equal(o.seenSource?.ip, '10.0.0.2');
    }
  });
}

void test('TestOverallIPTablesRules: session affinity on a first packet is an assumption (the recent list is empty)', () => {
  const os = traceFlow(cluster, { srcHost: 'ns/client', src: parseIPv4('10.0.0.2')!, dst: parseIPv4('172.30.0.45')!, protocol: 'tcp', srcPort: 40000, dstPort: 80 });
  assert.equal(os.length, 1);
  assert.ok(os[0].assumptions?.some((a) => /recent list KUBE-SEP-I77PXRDZVX7PMWMN is empty/.test(a)), JSON.stringify(os[0].assumptions));
});

void test('TestOverallIPTablesRules: a Service without endpoints rejects', () => {
  const os = traceFlow(cluster, { srcHost: 'ns/client', src: parseIPv4('10.0.0.2')!, dst: parseIPv4('172.30.0.46')!, protocol: 'tcp', srcPort: 40000, dstPort: 80 });
  assert.deepEqual(os.map((o) => `${o.disposition}@${o.at} ${o.connection}`), ['rejected@node refused']);
});

void test('TestOverallIPTablesRules: the node itself reaching a NodePort on localhost is DNATed and masqueraded', () => {
  const os = traceFlow(cluster, { srcHost: 'node', src: parseIPv4('127.0.0.1')!, dst: parseIPv4('127.0.0.1')!, protocol: 'tcp', srcPort: 40000, dstPort: 3003 });
  assert.ok(os.length > 0);
  for (const o of os) {
    assert.equal(o.disposition, 'delivered', o.summary);
    assert.notEqual(o.seenSource?.ip, '127.0.0.1');
  }
});
