/**
 * The generated kube-proxy dump: the generator is deterministic and writes what
 * kube-proxy writes (statistic cascade 1/n, 1/(n-1), … with 10 decimals), and the
 * save parser reads all of it. The size is 1000 services × 10 endpoints here; set
 * KUBE_NETSIM_BENCH=1 for the full 10k × 10 benchmark (~46 MB) and its MB/s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKubeProxyDump } from '../../../scripts/gen-kube-proxy-dump';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import { issueKeys, ruleCount } from './iptables-helpers';

const FULL = process.env.KUBE_NETSIM_BENCH === '1';
const SERVICES = FULL ? 10_000 : 1_000;

void test('generator: deterministic per seed', () => {
  const a = generateKubeProxyDump({ services: 20, endpointsPerService: 3, seed: 7 });
  assert.equal(generateKubeProxyDump({ services: 20, endpointsPerService: 3, seed: 7 }), a);
  assert.notEqual(generateKubeProxyDump({ services: 20, endpointsPerService: 3, seed: 8 }), a);
});

void test('generator: a service with 4 endpoints picks them with probabilities 1/4, 1/3, 1/2, then always', () => {
  const text = generateKubeProxyDump({ services: 1, endpointsPerService: 4, seed: 1 });
  const probs = [...text.matchAll(/--probability (\S+)/g)].map((m) => m[1]);
  assert.deepEqual(probs, ['0.2500000000', '0.3333333333', '0.5000000000']);
  const svc = /-A (KUBE-SVC-\w+) .*--probability/.exec(text)![1];
  assert.equal(text.split('\n').filter((l) => l.startsWith(`-A ${svc} `)).length, 1 + 4);
});

void test(`benchmark: ${SERVICES} services × 10 endpoints parse completely`, (t) => {
  const text = generateKubeProxyDump({ services: SERVICES, endpointsPerService: 10, seed: 1 });
  const lines = text.split('\n');
  const start = performance.now();
  const r = parseIptablesSave(text);
  const ms = performance.now() - start;
  t.diagnostic(`${(text.length / 1e6).toFixed(1)} MB, ${lines.length} lines in ${ms.toFixed(0)} ms: ${(text.length / 1e6 / (ms / 1000)).toFixed(1)} MB/s`);
  assert.deepEqual(issueKeys(r.issues), []);
  assert.equal(ruleCount(r.value), lines.filter((l) => l.startsWith('-A ')).length);
  let chains = 0;
  for (const tb of r.value.tables.values()) chains += tb.chains.size;
  assert.equal(chains, lines.filter((l) => l.startsWith(':')).length);
});
