import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { addressAt, wordAt } from '../../src/extension/logic/ip-at';

void test('addressAt finds the address under the cursor, with /len or :port', () => {
  const cases: [string, number, ReturnType<typeof addressAt>][] = [
    ['      clusterIP: 10.0.0.10          # x', 20, { text: '10.0.0.10', start: 17, end: 26 }],
    ['      clusterIP: 10.0.0.10', 26, { text: '10.0.0.10', start: 17, end: 26 }],
    ['      clusterIP: 10.0.0.10', 16, undefined],
    ['-A KUBE-SERVICES -d 10.0.0.10/32 -p udp', 22, { text: '10.0.0.10', start: 20, end: 29, prefixLen: 32 }],
    ['DNAT --to-destination 10.244.0.2:53', 25, { text: '10.244.0.2', start: 22, end: 32, port: 53 }],
    ['0.0.0.0         10.240.0.1      0.0.0.0         UG', 18, { text: '10.240.0.1', start: 16, end: 26 }],
    ['version 1.2.3.4.5', 10, undefined],
    ['ip: 10.240.0.999', 8, undefined],
  ];
  for (const [line, ch, want] of cases) assert.deepEqual(addressAt(line, ch), want, `${line} @${ch}`);
});

void test('wordAt returns chain-like words with their columns', () => {
  const line = '-A KUBE-SVC-ERIFXISQEP7F7OF4 -m statistic -j KUBE-SEP-IT2ZTR26TO4XFPTO';
  assert.deepEqual(wordAt(line, 5), { text: 'KUBE-SVC-ERIFXISQEP7F7OF4', start: 3, end: 28 });
  assert.deepEqual(wordAt(line, line.length - 1), { text: 'KUBE-SEP-IT2ZTR26TO4XFPTO', start: 45, end: 70 });
  assert.equal(wordAt('   ', 1), undefined);
});
