/**
 * Lint on the bundled example: clean as shipped; with the gateway's route for
 * k8s-agent-1's pods removed, `unreachable-pod-cidr` lands on the gateway's
 * route table with a fix that restores the route in the table's own format.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCluster } from '../../../src/core/build/load';
import { lintCluster } from '../../../src/core/lint/index';
import type { FileReader } from '../../../src/core/model/topology';

const DIR = join(__dirname, '../../../examples/azure-kubenet');
const TOPOLOGY = 'cluster.netsim.yaml';

function reader(overrides: Record<string, string> = {}): FileReader {
  return { read: (p) => (p in overrides ? { text: overrides[p] } : (() => { try { return { text: readFileSync(join(DIR, p), 'utf8') }; } catch { return { error: 'no such file' }; } })()) };
}

function routeTableFile(): string {
  const topo = readFileSync(join(DIR, TOPOLOGY), 'utf8');
  const m = /routes:\s*\{\s*file:\s*([^}\s]+)\s*\}/.exec(topo.slice(topo.indexOf('azure-gateway')));
  assert.ok(m, 'the example names the gateway route table with {file: …}');
  return m[1];
}

describe('lint on the bundled example', () => {
  it('raises no error or warning as shipped', () => {
    const loaded = loadCluster(readFileSync(join(DIR, TOPOLOGY), 'utf8'), TOPOLOGY, reader());
    const bad = [...loaded.issues, ...lintCluster(loaded)].filter((i) => i.severity === 'error' || i.severity === 'warning');
    assert.deepEqual(bad.map((i) => `${i.file}:${i.span.line}: ${i.code}: ${i.message}`), []);
  });

  it('reports the removed gateway route on the gateway table, naming k8s-agent-1, with a fix restoring it', () => {
    const file = routeTableFile();
    const original = readFileSync(join(DIR, file), 'utf8');
    const lines = original.split('\n');
    const removed = lines.findIndex((l) => l.includes('10.244.1.0/24'));
    assert.ok(removed >= 0);
    const broken = lines.filter((_, i) => i !== removed).join('\n');
    const loaded = loadCluster(readFileSync(join(DIR, TOPOLOGY), 'utf8'), TOPOLOGY, reader({ [file]: broken }));
    const issues = lintCluster(loaded).filter((i) => i.code === 'unreachable-pod-cidr');
    assert.ok(issues.length >= 1, 'unreachable-pod-cidr raised');
    const onTable = issues.find((i) => i.file === file);
    assert.ok(onTable, `raised on ${file}, got ${issues.map((i) => i.file).join(', ')}`);
    assert.equal(onTable.severity, 'error');
    assert.match(onTable.message, /k8s-agent-1/);
    assert.match(onTable.message, /10\.244\.1\.0\/24/);
    const fix = onTable.fixes?.[0];
    assert.ok(fix, 'has a quick fix');
    const text = fix.edits[0].newText.trim();
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    assert.equal(norm(text).replace(/^\S+/, 'NAME'), norm(lines[removed]).replace(/^\S+/, 'NAME'));
  });
});
