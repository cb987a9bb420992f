// The in-editor tests, end to end: builds the extension and its .vsix, bundles the
// mocha suite, runs it inside code-server's real extension host, then installs the
// packaged .vsix into a fresh code-server and drives the UI with Chromium.
// Ends with one line `e2e: N passed, N failed`; exits non-zero on any failure.
// Needs `bash .ci/setup-e2e` first. E2E_ONLY=exthost|ui runs one half; E2E_VERBOSE=1 streams logs.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, installed } from './code-server.mjs';
import { runExthostSuite } from './exthost.mjs';
import { runUi } from './ui.mjs';

const OUT = join(ROOT, 'test-output/e2e');
const only = process.env.E2E_ONLY;
let passed = 0;
let failed = 0;
const t0 = Date.now();
const say = (m) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

function finish(code) {
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(code ?? (failed ? 1 : 0));
}

function sh(what, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    console.log(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    failed++;
    finish(1);
  }
}

/** A fresh copy of the example as the test workspace. */
function workspace(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(ROOT, 'examples/azure-kubenet'))) cpSync(join(ROOT, 'examples/azure-kubenet'), join(dir, 'azure-kubenet'), { recursive: true });
  // A dump whose name says nothing: content detection must give it a language.
  cpSync(join(ROOT, 'test/e2e/fixtures'), join(dir, 'loose'), { recursive: true });
  return dir;
}

if (!installed()) {
  console.log('e2e: code-server is not installed: run `bash .ci/setup-e2e` (installs Node 24 and code-server under .vscode-e2e/)');
  failed++;
  finish(1);
}

mkdirSync(OUT, { recursive: true });
say('packaging the extension (npm run package)');
sh('npm run package', 'npm', ['run', '--silent', 'package']);
say('bundling the mocha suite');
sh('bundling the suite', join(ROOT, 'node_modules/.bin/esbuild'), ['test/e2e/suite/index.ts', '--bundle', '--platform=node', '--format=cjs',
  '--target=node20', '--external:vscode', '--external:mocha', '--sourcemap', '--outfile=out/e2e/suite/index.js', '--log-level=warning']);

if (only !== 'ui') {
  const run = join(OUT, 'exthost');
  rmSync(run, { recursive: true, force: true });
  const folder = workspace(join(run, 'ws'));
  say('mocha suite in the extension host');
  try {
    const r = await runExthostSuite({ run, extDir: ROOT, suite: join(ROOT, 'out/e2e/suite/index'), folder });
    writeFileSync(join(OUT, 'exthost.log'), r.log);
    for (const l of r.log.split('\n')) if (/^\s*(✔|✓|✗|\d+\)|E2E-|not ok|ok )/.test(l.replace(/^\[Extension Host\]\s*/, '')) || /FAIL|Error/.test(l)) console.log(`  ${l}`);
    say(`extension host: ${r.passed} passed, ${r.failed} failed (exit ${r.code}); log in test-output/e2e/exthost.log`);
    passed += r.passed;
    failed += r.failed;
  } catch (e) {
    console.log(`extension-host suite could not run: ${e.stack ?? e}`);
    failed++;
  }
}

if (only !== 'exthost') {
  const run = join(OUT, 'ui');
  rmSync(run, { recursive: true, force: true });
  const folder = workspace(join(run, 'ws'));
  say('UI run against the packaged .vsix');
  try {
    const r = await runUi({ run, folder, vsix: join(ROOT, 'dist/kube-netsim.vsix'), shots: join(ROOT, 'test-output/screenshots'), say });
    say(`UI: ${r.passed} passed, ${r.failed} failed`);
    passed += r.passed;
    failed += r.failed;
  } catch (e) {
    console.log(`UI run could not run: ${e.stack ?? e}`);
    failed++;
  }
}

finish();
