import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIptablesS } from '../../../src/core/parse/iptables/parse-iptables-s';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import { issueKeys, plainRule } from './iptables-helpers';

void test('iptables -S: policies, chains and rules in the given table', () => {
  const r = parseIptablesS('-P PREROUTING ACCEPT\n-N KUBE-SERVICES\n-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n', { table: 'nat' });
  assert.deepEqual(r.issues, []);
  const nat = r.value.tables.get('nat')!;
  assert.equal(nat.chains.get('PREROUTING')!.policy, 'ACCEPT');
  assert.equal(nat.chains.get('PREROUTING')!.rules[0].target?.name, 'KUBE-SERVICES');
  assert.equal(r.value.format, 'iptables-S');
});

void test('iptables -S: a rule reads like the same iptables-save rule', () => {
  const spec = '-d 172.31.0.0/16 ! -o vlan+ -m comment --comment "AWS, SNAT" -m addrtype ! --dst-type LOCAL -j SNAT --to-source 172.31.0.225 --random-fully';
  const s = parseIptablesS(`-N AWS-SNAT-CHAIN-0\n-A AWS-SNAT-CHAIN-0 ${spec}\n`, { table: 'nat' });
  const save = parseIptablesSave(`*nat\n:AWS-SNAT-CHAIN-0 - [0:0]\n-A AWS-SNAT-CHAIN-0 ${spec}\nCOMMIT\n`);
  assert.deepEqual(issueKeys(s.issues), []);
  assert.deepEqual(
    plainRule(s.value.tables.get('nat')!.chains.get('AWS-SNAT-CHAIN-0')!.rules[0]),
    plainRule(save.value.tables.get('nat')!.chains.get('AWS-SNAT-CHAIN-0')!.rules[0]),
  );
});

void test('iptables -S -v: counters after -c, and on -P', () => {
  const r = parseIptablesS('-P INPUT ACCEPT -c 10 600\n-A INPUT -s 10.0.0.0/8 -c 3 180 -j ACCEPT\n');
  assert.deepEqual(r.issues, []);
  const input = r.value.tables.get('filter')!.chains.get('INPUT')!;
  assert.deepEqual(input.counters, { packets: 10, bytes: 600 });
  assert.deepEqual(input.rules[0].counters, { packets: 3, bytes: 180 });
});

void test('iptables -S: prompts switch tables; a chain listed alone needs no -N', () => {
  const text = '# iptables -t nat -S KUBE-SVC-X\n-A KUBE-SVC-X -j KUBE-SEP-Y\n# iptables -S\n-P INPUT DROP\n';
  const r = parseIptablesS(text);
  assert.deepEqual(issueKeys(r.issues, (i) => i.code !== 'iptables-unknown-target'), ['info pasted-prompt 1:1-32', 'info pasted-prompt 3:1-14']);
  assert.equal(r.value.tables.get('nat')!.chains.get('KUBE-SVC-X')!.rules.length, 1);
  assert.equal(r.value.tables.get('filter')!.chains.get('INPUT')!.policy, 'DROP');
});

void test('iptables -S: problems at their token', () => {
  const text = '-A INPUT -p tcp --dport\n-Q INPUT\nnot a rule\n';
  const r = parseIptablesS(text);
  assert.deepEqual(issueKeys(r.issues), ['error iptables-missing-value 1:17-24', 'error iptables-unknown-command 2:1-3', 'error iptables-unexpected-line 3:1-11']);
});
