/**
 * kube-proxy's nftables mode, TestOverallNFTablesRules, as the real `nft list
 * ruleset` prints it after loading the test's expected dump (fixture made with
 * nft 1.0.6): from a pod, every ClusterIP of @service-ips must lead exactly to
 * the `dnat to` targets of its service chain's endpoint chains (read from the
 * dump's text here, not through the parser), each with an equal share; a
 * Service without endpoints rejects; a wrong port on a ClusterIP rejects and an
 * unallocated ClusterIP drops (cluster-ips-check), where iptables mode differs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIPv4 } from '../../../src/core/net/ipv4';
import { traceFlow } from '../../../src/core/sim/trace-flow';
import { kubeProxyTestCluster } from './fixtures';

const dump = readFileSync(join(__dirname, '../../fixtures/nft/kube-proxy-overall.list-a.nft'), 'utf8');
const lines = dump.split('\n');

/** ClusterIP:port → the dnat targets of its service chain's endpoints, from the raw text. */
function expected(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const chainBody = (name: string): string[] => {
    const i = lines.findIndex((l) => l.trim().startsWith(`chain ${name} {`));
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j].trim() !== '}'; j++) body.push(lines[j].trim());
    return body;
  };
  for (const m of dump.matchAll(/(172\.30\.\d+\.\d+) \. tcp \. (\d+) : goto (service-\S+?)[,\s]/g)) {
    const vmap = chainBody(m[3]).find((l) => l.startsWith('numgen'));
    const eps = [...(vmap ?? '').matchAll(/goto (endpoint-[^\s,}]+)/g)].map((x) => x[1]);
    const targets = eps.map((ep) => /dnat to (\S+)/.exec(chainBody(ep).find((l) => l.includes('dnat to'))!)![1]);
    out.set(`${m[1]}:${m[2]}`, targets.sort());
  }
  return out;
}

const services = expected();
const endpointIPs = [...new Set([...services.values()].flat().map((t) => t.split(':')[0]))];
const cluster = kubeProxyTestCluster({ nftables: dump }, endpointIPs);

const trace = (dst: string, port: number, proto: 'tcp' | 'udp' = 'tcp') =>
  traceFlow(cluster, { srcHost: 'ns/client', src: parseIPv4('10.0.0.2')!, dst: parseIPv4(dst)!, protocol: proto, srcPort: 40000, dstPort: port });

void test('TestOverallNFTablesRules: the dump names several ClusterIP services, one with two endpoints', () => {
  assert.ok(services.size >= 4);
  assert.ok([...services.values()].some((t) => t.length === 2));
});

for (const [svc, targets] of services) {
  void test(`TestOverallNFTablesRules: pod → ${svc} reaches ${targets.join(', ')}`, () => {
    const [ip, port] = svc.split(':');
    const os = trace(ip, Number(port));
    assert.deepEqual(os.map((o) => `${o.delivered?.ip}:${o.delivered?.port}`).sort(), targets);
    for (const o of os) {
      assert.ok(Math.abs(o.probability - 1 / targets.length) < 1e-9, String(o.probability));
      assert.equal(o.connection, 'ok', o.summary);
      assert.equal(o.seenSource?.ip, '10.0.0.2');
      // Every rule step points at its line of the dump.
      for (const h of o.hops.filter((x) => x.kind === 'rule' && x.origin)) assert.equal(lines[h.origin!.line - 1].trim().replace(/ # handle \d+$/, ''), h.origin!.text.trim());
    }
  });
}

void test('TestOverallNFTablesRules: session affinity on a first packet is an assumption (the affinity set is empty)', () => {
  const os = trace('172.30.0.45', 80);
  assert.equal(os.length, 1);
  assert.ok(os[0].assumptions?.some((a) => /@affinity-GTK6MW7G-ns5\/svc5\/tcp\/p80__10\.180\.0\.3\/80 is filled by packets/.test(a)), JSON.stringify(os[0].assumptions));
});

void test('TestOverallNFTablesRules: a Service without endpoints rejects (no-endpoint-services → reject-chain)', () => {
  const os = trace('172.30.0.46', 80);
  assert.deepEqual(os.map((o) => `${o.disposition}@${o.at} ${o.connection}`), ['rejected@node refused']);
  assert.ok(os[0].hops.some((h) => h.chain === 'reject-chain'));
});

void test('nftables mode answers a wrong port on a ClusterIP with reject and an unallocated ClusterIP with drop (cluster-ips-check)', () => {
  const wrong = trace('172.30.0.41', 443);
  assert.deepEqual(wrong.map((o) => `${o.disposition}@${o.at}`), ['rejected@node']);
  assert.ok(wrong[0].hops.some((h) => h.chain === 'cluster-ips-check' && h.origin && /reject/.test(h.origin.text)));
  const unallocated = trace('172.30.0.50', 80);
  assert.deepEqual(unallocated.map((o) => `${o.disposition}@${o.at}`), ['dropped@node']);
  assert.ok(unallocated[0].hops.some((h) => h.chain === 'cluster-ips-check' && h.origin && /drop/.test(h.origin.text)));
});
