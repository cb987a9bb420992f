import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpsetList } from '../../../src/core/parse/iptables/parse-ipset';
import { corpusFiles, issueKeys } from './iptables-helpers';

void test('ipset list: the tkng IPVS sets, members as written', () => {
  const [f] = corpusFiles('ipvs', /ipset-list/);
  const r = parseIpsetList(f.text);
  assert.deepEqual(issueKeys(r.issues), ['info pasted-prompt 1:1-22', 'info pasted-prompt 20:1-21']);
  const cluster = r.value.get('KUBE-CLUSTER-IP')!;
  assert.equal(cluster.type, 'hash:ip,port');
  assert.equal(cluster.references, 2);
  assert.equal(cluster.members.length, cluster.declaredEntries);
  assert.ok(cluster.members.some((m) => m.text === '10.96.0.10,udp:53'));
  // Members counted by a plain filter: lines after "Members:" up to a blank line.
  const lines = f.text.split('\n');
  const start = lines.indexOf('Members:') + 1;
  const end = lines.indexOf('', start);
  assert.deepEqual(cluster.members.map((m) => m.text), lines.slice(start, end));
  assert.deepEqual(r.value.get('KUBE-LOOP-BACK')!.members.map((m) => m.text), ['10.244.1.2,tcp:3030,10.244.1.2', '10.244.1.6,tcp:80,10.244.1.6']);
});

void test('ipset list: a cut paste and stray lines are reported', () => {
  const text = 'Type: hash:ip\nName: S\nType: hash:net\nNumber of entries: 3\nMembers:\n10.0.0.0/8\n\nwhat is this\n';
  const r = parseIpsetList(text);
  assert.deepEqual(issueKeys(r.issues), ['warning ipset-field-without-set 1:1-14', 'warning ipset-unexpected-line 8:1-13', 'warning ipset-count-mismatch 2:1-8']);
  assert.equal(r.value.get('S')!.members.length, 1);
});
