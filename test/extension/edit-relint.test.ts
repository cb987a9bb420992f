/**
 * A reload-free edit leaves no stale state: after each edit of the example (as
 * unsaved editor text), the warm service's diagnostics, lenses and hovers equal
 * those of a service that never saw the earlier versions.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetsimService } from '../../src/extension/service/netsim-service';

const ROOT = join(import.meta.dirname, '..', '..', 'examples', 'azure-kubenet');
const TOPO = join(ROOT, 'cluster.netsim.yaml');
const GW = join(ROOT, 'gateway-route-table.txt');
const topo0 = readFileSync(TOPO, 'utf8');
const gw0 = readFileSync(GW, 'utf8');

type Files = Record<string, string>;
const replace = (text: string, from: string | RegExp, to: string) => {
  const out = text.replace(from, to);
  assert.notEqual(out, text, `edit ${String(from)} applies`);
  return out;
};

/** Each step: the editor texts after the edit. */
const STEPS: { what: string; files: Files }[] = [
  { what: 'gateway row for k8s-agent-1 deleted', files: { [GW]: replace(gw0, /^k8s-agent-154d19d7-1 .*\n/m, '') } },
  { what: 'kube-dns pod moved into k8s-agent-1\'s range', files: { [GW]: replace(gw0, /^k8s-agent-154d19d7-1 .*\n/m, ''), [TOPO]: replace(topo0, 'ip: 10.244.0.2\n', 'ip: 10.244.1.7\n') } },
  { what: 'that pod moved to k8s-agent-1 as well', files: { [GW]: replace(gw0, /^k8s-agent-154d19d7-1 .*\n/m, ''), [TOPO]: replace(replace(topo0, 'ip: 10.244.0.2\n', 'ip: 10.244.1.7\n'), /(name: kube-dns-v20-3003781527-lc299\n\s+namespace: kube-system\n\s+node: )k8s-agent-0/, '$1k8s-agent-1') } },
  { what: 'gateway row back', files: { [TOPO]: replace(replace(topo0, 'ip: 10.244.0.2\n', 'ip: 10.244.1.7\n'), /(name: kube-dns-v20-3003781527-lc299\n\s+namespace: kube-system\n\s+node: )k8s-agent-0/, '$1k8s-agent-1') } },
  { what: 'everything undone', files: {} },
];

function apply(s: NetsimService, files: Files): void {
  for (const p of [TOPO, GW]) s.handle('overlay', { path: p, text: files[p] ?? null });
}

function snapshot(s: NetsimService) {
  const check = s.handle('checkTopology', { path: TOPO, root: ROOT });
  const text = (s as unknown as { docs: { read(p: string): { text: string } } }).docs.read(TOPO).text.split('\n');
  const hovers = ['clusterIP: 10.0.0.10', 'ip: 10.244.1.2'].map((needle) => {
    const line = text.findIndex((l) => l.includes(needle));
    return s.handle('hover', { path: TOPO, root: ROOT, line, character: text[line].indexOf(needle.split(': ')[1]) + 1, languageId: 'yaml', defaultSource: '' })?.markdown;
  });
  return { issues: check.issues, lenses: check.lenses, hovers };
}

void test('each edit, re-linted in a warm service, gives what a cold service gives', () => {
  const warm = new NetsimService(() => {});
  snapshot(warm);
  for (const step of STEPS) {
    apply(warm, step.files);
    const cold = new NetsimService(() => {});
    apply(cold, step.files);
    assert.deepEqual(snapshot(warm), snapshot(cold), step.what);
  }
});

void test('the edits say each problem once: one error for the missing row, one for the pod outside its range', () => {
  const s = new NetsimService(() => {});
  apply(s, STEPS[1].files);
  const bad = s.handle('checkTopology', { path: TOPO, root: ROOT }).issues.filter((i) => i.severity !== 'info');
  const at = (i: { span: { line: number; column: number } }) => `${i.span.line}:${i.span.column}`;
  const keys = bad.map((i) => `${i.path}#${at(i)}#${i.code}`);
  assert.deepEqual(keys.filter((k, n) => keys.indexOf(k) !== n), [], 'no two findings with one code at one place');
  assert.equal(bad.filter((i) => i.code === 'unreachable-pod-cidr').length, 1);
  assert.equal(bad.filter((i) => i.code === 'pod-outside-pod-cidr').length, 1);
});
