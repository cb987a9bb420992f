import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { indexChains, chainsNamed } from '../../src/extension/logic/chain-index';
import { corpus } from './fixture';

void test('iptables-save: declarations, rules and jumps of the kube-proxy TestTracePacket dump', () => {
  const text = corpus('iptables-kube-proxy/k8s-TestTracePacket.iptables-save.txt');
  const lines = text.split('\n');
  const idx = indexChains(text);
  assert.equal(idx.style, 'save');
  const [svc] = chainsNamed(idx, 'KUBE-SERVICES').filter((c) => c.table === 'nat');
  assert.ok(svc.declaration);
  assert.equal(lines[svc.declaration.line].slice(svc.declaration.start, svc.declaration.end), 'KUBE-SERVICES');
  // Every rule counted is an `-A KUBE-SERVICES` line of the nat table; every jump's range is the target word.
  assert.equal(svc.rules.length, lines.slice(lines.indexOf('*nat')).filter((l) => l.startsWith('-A KUBE-SERVICES ')).length);
  for (const j of svc.jumpedFrom) {
    assert.equal(lines[j.range.line].slice(j.range.start, j.range.end), 'KUBE-SERVICES');
    assert.match(lines[j.range.line], /-j KUBE-SERVICES\b/);
  }
  assert.deepEqual(new Set(svc.jumpedFrom.map((j) => j.from)), new Set(['PREROUTING', 'OUTPUT']));
  // The same name in filter is a different chain.
  assert.equal(chainsNamed(idx, 'KUBE-SERVICES').length, 2);
});

void test('iptables -L listing: chain headers, target column, table from the caller', () => {
  const text = corpus('iptables-other/flannel-docker-kubeadm-2019.iptables-t-nat-L-n-v.txt');
  const lines = text.split(/\r?\n/);
  const idx = indexChains(text, 'nat');
  assert.equal(idx.style, 'list');
  const pre = chainsNamed(idx, 'PREROUTING')[0];
  assert.equal(pre.table, 'nat');
  assert.ok(pre.policy);
  const kubeSvc = chainsNamed(idx, 'KUBE-SERVICES')[0];
  assert.ok(kubeSvc.jumpedFrom.length >= 1);
  for (const j of kubeSvc.jumpedFrom) assert.equal(lines[j.range.line].slice(j.range.start, j.range.end), 'KUBE-SERVICES');
  assert.ok(kubeSvc.jumpedFrom.some((j) => j.from === 'PREROUTING'));
});

void test('iptables -S: -N / -P declarations and -g jumps', () => {
  const text = ['-P INPUT ACCEPT', '-N DOCKER', '-N DOCKER-USER', '-A FORWARD -j DOCKER-USER', '-A FORWARD -o docker0 -g DOCKER', '-A DOCKER-USER -j RETURN'].join('\n');
  const idx = indexChains(text, 'filter');
  const docker = chainsNamed(idx, 'DOCKER')[0];
  assert.deepEqual(docker.declaration, { line: 1, start: 3, end: 9 });
  assert.deepEqual(docker.jumpedFrom, [{ from: 'FORWARD', goto: true, range: { line: 4, start: 25, end: 31 } }]);
  assert.equal(chainsNamed(idx, 'INPUT')[0].policy, 'ACCEPT');
  assert.equal(chainsNamed(idx, 'DOCKER-USER')[0].rules.length, 1);
});

void test('text that is no dump yields no chains', () => {
  assert.deepEqual([...indexChains('nameserver 10.0.0.10\nsearch default.svc.cluster.local\n').chains], []);
});
