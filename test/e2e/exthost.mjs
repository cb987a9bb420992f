// The mocha suite inside code-server's real extension host: the workbench URL
// carries the same payload @vscode/test-web uses (extensionDevelopmentPath +
// extensionTestsPath); the suite's exit code arrives via window.codeAutomationExit.
import { join } from 'node:path';
import util from 'node:util';
import { launchBrowser, startServer, stopServer, prepareRun } from './code-server.mjs';

/** Runs the suite; returns {passed, failed, log}. */
export async function runExthostSuite({ run, extDir, suite, folder, timeoutMs = 180000 }) {
  prepareRun(run);
  const lines = [];
  const say = (l) => { lines.push(l); if (process.env.E2E_VERBOSE) console.error(l); };
  const server = await startServer(run, { KUBE_NETSIM_E2E_WS: folder });
  const { browser, context } = await launchBrowser();
  try {
    const authority = new URL(server.base).host;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    const payload = [['extensionDevelopmentPath', remote(extDir)], ['extensionTestsPath', remote(suite)]];
    const page = await context.newPage();
    let done;
    const exited = new Promise((res) => (done = res));
    await page.exposeFunction('codeAutomationLog', (type, args) => say(util.format(...(Array.isArray(args) ? args : [args]))));
    await page.exposeFunction('codeAutomationExit', (code) => done(code));
    page.on('console', (m) => { const t = m.text(); if (t.includes('[Extension Host]')) say(t.replace(/%c/g, '').replace(/\s*color: [^ ]+/g, '')); });
    page.on('pageerror', (e) => say(`[pageerror] ${e.message}`));
    await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer;
    const code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
    clearTimeout(timer);
    const text = lines.join('\n');
    const m = /E2E-RESULT (\{[^}]*\})/.exec(text);
    const counts = m ? JSON.parse(m[1]) : { passed: 0, failed: 1 };
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return { ...counts, code, log: text };
  } finally {
    await browser.close().catch(() => {});
    stopServer(server.child);
  }
}

export { join };
