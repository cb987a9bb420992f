// Runs the test suites: `node scripts/test.mjs [unit|kernel|e2e|all]` (default all).
//   unit   — pure tests under test/ (node's test runner, TypeScript through tsx);
//            includes the kernel conformance tests, which skip with a message unless root.
//   e2e    — the extension inside a real VS Code (code-server) and the UI run in Chromium;
//            needs `bash .ci/setup-e2e` first.
// Ends with one plain line `tests: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const mode = process.argv[2] ?? 'all';
const filter = process.argv[3];
let passed = 0;
let failed = 0;
let ok = true;

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'fixtures' && name !== 'e2e') find(p, out); }
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

if (mode === 'unit' || mode === 'all') {
  let files = find('test').sort();
  if (filter) files = files.filter((f) => f.includes(filter));
  mkdirSync('test-output', { recursive: true });
  const tap = 'test-output/unit.tap';
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], { stdio: 'inherit' });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  passed += Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  failed += Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
  if (r.status !== 0) ok = false;
}

if (mode === 'e2e' || mode === 'all') {
  if (!existsSync('test/e2e/run.mjs')) {
    console.log('e2e: test/e2e/run.mjs not present yet');
  } else {
    const r = spawnSync(process.execPath, ['test/e2e/run.mjs'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    process.stdout.write(r.stdout ?? '');
    const m = /^e2e: (\d+) passed, (\d+) failed/m.exec(r.stdout ?? '');
    if (m) { passed += Number(m[1]); failed += Number(m[2]); }
    if (r.status !== 0) { ok = false; if (!m) failed++; }
  }
}

console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
