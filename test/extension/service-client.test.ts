import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, utimesSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ServiceClient } from '../../src/extension/service/client';
import { FIXTURES } from './fixture';

const dir = mkdtempSync(join(tmpdir(), 'netsim-worker-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const workerFile = join(dir, 'netsim-worker.js');
const TOPO = join(FIXTURES, 'mini.netsim.yaml');

void test('the worker thread and the in-thread fallback give the same answers', async () => {
  await build({ entryPoints: [join(import.meta.dirname, '../../src/extension/service/worker-main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerFile, logLevel: 'silent' });
  const logs: string[] = [];
  const threaded = new ServiceClient(workerFile, (m) => logs.push(m));
  const local = new ServiceClient(join(dir, 'missing.js'), (m) => logs.push(m));
  try {
    assert.equal(threaded.threaded, true);
    assert.equal(local.threaded, false);
    assert.ok(logs.some((l) => l.includes('missing.js: not built')));
    for (const c of [threaded, local]) {
      const check = await c.request('checkTopology', { path: TOPO, root: FIXTURES });
      assert.equal(check.ok, true);
      assert.deepEqual(check.refs, [join(FIXTURES, 'node-a', 'iptables-save.txt')]);
      const t = await c.request('trace', { topology: TOPO, root: FIXTURES, query: { from: 'client', to: '10.0.0.80', protocol: 'tcp', port: 80 } });
      assert.ok(!('error' in t));
      assert.equal(t.result.outcomes[0].delivered?.ip, '10.244.1.3');
      // A bug in a request is an error answer, and the worker lives on.
      await assert.rejects(c.request('nonsense' as 'stats', {}));
      assert.equal((await c.request('stats', {})).topologyLoads, 1);
    }
  } finally {
    threaded.dispose();
    local.dispose();
  }
});

void test('a worker bundle older than the extension bundle is not used', () => {
  const host = join(dir, 'extension.js');
  writeFileSync(host, '');
  writeFileSync(join(dir, 'old-worker.js'), '');
  const old = Date.now() / 1000 - 3600;
  utimesSync(join(dir, 'old-worker.js'), old, old);
  const logs: string[] = [];
  const c = new ServiceClient(join(dir, 'old-worker.js'), (m) => logs.push(m), false, host);
  assert.equal(c.threaded, false);
  assert.match(logs[0], /older than the extension bundle/);
  c.dispose();
});
