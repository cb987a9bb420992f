/**
 * kube-proxy's chain names, recomputed: SHA-256 against published vectors, and
 * the KUBE-SVC/KUBE-SEP names of real dumps (the seed and kube-proxy's own
 * test output in the corpus) derived from the comments that name their Service.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, svcChainName, sepChainName, extChainName } from '../../../src/core/build/kube-proxy-hash';
import { CORPUS } from '../../fixtures/dirs';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

void test('sha256 matches FIPS 180-4 test vectors, across block boundaries', () => {
  const cases: [string, string][] = [
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ];
  for (const [input, want] of cases) assert.equal(hex(sha256(input)), want, JSON.stringify(input));
});

void test('the seed\'s kube-dns chains: names derived from service port, protocol and endpoint', () => {
  assert.equal(svcChainName('kube-system/kube-dns:dns-tcp', 'TCP'), 'KUBE-SVC-ERIFXISQEP7F7OF4');
  assert.equal(sepChainName('kube-system/kube-dns:dns-tcp', 'TCP', '10.244.0.2:53'), 'KUBE-SEP-IT2ZTR26TO4XFPTO');
  assert.equal(sepChainName('kube-system/kube-dns:dns-tcp', 'TCP', '10.244.1.2:53'), 'KUBE-SEP-BWHGELGX6BITPZVO');
  assert.equal(svcChainName('default/kubernetes:https', 'TCP'), 'KUBE-SVC-NPX46M4PTMTKRN6Y');
});

void test('every KUBE-SVC/KUBE-EXT/KUBE-SEP jump of kube-proxy\'s TestOverallIPTablesRules output is recomputed', () => {
  const dump = readFileSync(join(CORPUS, 'iptables-kube-proxy', 'k8s-TestOverallIPTablesRules.iptables-save.txt'), 'utf8');
  let checked = 0;
  for (const line of dump.split('\n')) {
    const proto = /-p (\w+)/.exec(line)?.[1] ?? 'tcp';
    const svc = /--comment "(\S+) (?:cluster IP|external IP|loadbalancer IP)".* -j (KUBE-(?:SVC|EXT)-\w+)$/.exec(line);
    if (svc) {
      const name = svc[2].startsWith('KUBE-SVC') ? svcChainName(svc[1], proto) : extChainName(svc[1], proto);
      assert.equal(name, svc[2], line);
      checked++;
    }
    const sep = /^-A KUBE-SVC-\w+ -m comment --comment "(\S+) -> (\S+)".* -j (KUBE-SEP-\w+)$/.exec(line);
    if (sep) {
      assert.equal(sepChainName(sep[1], 'tcp', sep[2]), sep[3], line);
      checked++;
    }
  }
  assert.ok(checked >= 14, `checked ${checked} jumps`);
});
