// The UI run: the PACKAGED .vsix installed into a fresh code-server, driven with
// Chromium as a user would. Each check counts as one test; screenshots go to
// test-output/screenshots/. Waits on what appears on screen, never on sleeps
// (except a short settle before a screenshot so fade-in animations finish).
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, installVsix, launchBrowser, prepareRun, startServer, stopServer } from './code-server.mjs';

/** Runs the UI checks; returns {passed, failed}. */
export async function runUi({ run, folder, vsix, shots, say }) {
  prepareRun(run);
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  let passed = 0;
  let failed = 0;
  const inst = installVsix(run, vsix);
  if (!inst.ok) { console.log(`installing ${vsix} failed:\n${inst.output}`); return { passed, failed: 1 }; }
  say('vsix installed');
  const server = await startServer(run);
  const blocked = [];
  const { browser, context } = await launchBrowser(blocked);
  const page = await context.newPage();
  const consoleLog = [];
  page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
  const check = async (name, f) => {
    try {
      await f();
      passed++;
      console.log(`  ✔ ui: ${name}`);
      return true;
    } catch (e) {
      failed++;
      console.log(`  ✗ ui: ${name}: ${e.message.split('\n')[0]}`);
      await page.screenshot({ path: join(shots, `fail-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
      return false;
    }
  };
  const settle = () => page.waitForTimeout(400);
  const qi = page.locator('.quick-input-widget input.input');
  const runCommand = async (title, deadlineMs = 60000) => {
    const end = Date.now() + deadlineMs;
    for (;;) {
      await page.keyboard.press('F1');
      await qi.waitFor({ state: 'visible', timeout: 15000 });
      await qi.fill('>' + title);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      try { await row.waitFor({ timeout: 3000 }); await page.keyboard.press('Enter'); return; }
      catch (e) { if (Date.now() > end) throw e; await page.keyboard.press('Escape'); await page.waitForTimeout(1000); }
    }
  };
  const pick = async (typed, rowText) => {
    await qi.waitFor({ state: 'visible', timeout: 15000 });
    await qi.fill(typed);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
    await row.waitFor({ timeout: 10000 });
    await row.click();
  };
  // Keyboard shortcuts reach the workbench only when focus is outside the webview iframe: click into a
  // text editor (not the explorer, where a click opens whatever row is under the pointer).
  const focusWorkbench = async () => {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ timeout: 2000 }).catch(() => {});
  };
  const openFile = async (name) => {
    // An open tab is clicked; otherwise Quick Open, with the focus taken out of any webview first
    // (a focused webview iframe keeps the workbench's keybindings from firing).
    const tab = page.locator('.tabs-container .tab', { hasText: name }).first();
    if (await tab.count()) { await tab.click(); await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15000 }); return; }
    await focusWorkbench();
    await page.keyboard.press('Control+P');
    await qi.waitFor({ state: 'visible', timeout: 15000 });
    await qi.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15000 });
  };
  // Hovers a token until the hover with `hasText` shows. CodeLenses arriving late shift the lines, so the
  // token's box is re-read on every attempt.
  const hoverUntil = async (token, hasText, attempts = 5) => {
    const hover = page.locator('.monaco-hover', { hasText }).first();
    for (let i = 1; ; i++) {
      await token.waitFor({ timeout: 15000 });
      const box = await token.boundingBox();
      await page.mouse.move(box.x + 4, box.y + box.height / 2);
      await page.mouse.move(box.x + 12, box.y + box.height / 2);
      try { await hover.waitFor({ state: 'visible', timeout: 6000 }); return hover; }
      catch (e) {
        if (i >= attempts) {
          const seen = await page.locator('.monaco-hover').allTextContents().catch(() => []);
          throw new Error(`${e.message.split('\n')[0]}; hovers seen: ${JSON.stringify(seen.map((t) => t.slice(0, 160)))}`);
        }
        await page.mouse.move(5, 5);
      }
    }
  };
  const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  try {
    await check('workbench opens with the example', async () => {
      await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'azure-kubenet' }).waitFor({ timeout: 60000 });
      await page.waitForFunction(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark'), null, { timeout: 15000 }).catch(() => {});
      await openFile('cluster.netsim.yaml');
    });

    const traced = await check('Trace Packet from the palette shows the diagram and both outcomes', async () => {
      await runCommand('Kube NetSim: Trace Packet');
      await pick('ubuntu', 'default/ubuntu');
      await pick('kube-dns 53/UDP', 'kube-system/kube-dns 53/UDP');
      const wv = webview();
      await wv.locator('[data-testid="diagram"]').first().waitFor({ timeout: 30000 });
      const outcomes = wv.locator('[data-testid="outcome"]');
      await outcomes.nth(1).waitFor({ timeout: 10000 });
      const n = await outcomes.count();
      if (n !== 2) throw new Error(`expected 2 outcomes, saw ${n}`);
      const text = (await outcomes.allTextContents()).join(' | ');
      for (const want of ['10.244.0.2', '10.244.1.2', '50%']) if (!text.includes(want)) throw new Error(`outcome text lacks ${want}: ${text.slice(0, 300)}`);
      await settle();
      await page.screenshot({ path: join(shots, '1-trace-view.png') });
    });

    if (traced) {
      await check('beside the editor at 1280×800 every diagram label is at least 11 px high, at its natural size', async () => {
        const wv = webview();
        const sizes = await wv.locator('svg.diagram').first().evaluate((svg) => {
          const texts = [...svg.querySelectorAll('text')];
          return { n: texts.length, min: Math.min(...texts.map((t) => t.getBoundingClientRect().height)), svgW: svg.getBoundingClientRect().width, vbW: svg.viewBox.baseVal.width, col: document.body.clientWidth };
        });
        say(`diagram: ${sizes.n} labels, smallest ${sizes.min.toFixed(1)} px high; drawn ${sizes.svgW.toFixed(0)} px for a ${sizes.vbW} unit layout in a ${sizes.col} px column`);
        if (sizes.n < 10 || sizes.min < 11) throw new Error(`labels too small: ${JSON.stringify(sizes)}`);
        if (Math.abs(sizes.svgW - sizes.vbW) > 1) throw new Error(`diagram not at its natural size: ${JSON.stringify(sizes)}`);
        // Hover titles carry the full names the boxes shorten.
        const titles = await wv.locator('svg.diagram g.host-pod > title').allTextContents();
        if (!titles.some((t) => t.includes('kube-dns-v20-3003781527-njvzk'))) throw new Error(`pod titles: ${titles.join(' | ')}`);
        // The Service the query went to is joined to the path.
        await wv.locator('svg.diagram .svc-link').first().waitFor({ state: 'attached', timeout: 5000 });
      });
      await check('a screenshot of the trace view beside the editor (dark theme)', async () => {
        await page.screenshot({ path: join(shots, 'trace-view-dark.png') });
        if (process.env.E2E_DOCS === '1') {
          copyFileSync(join(shots, 'trace-view-dark.png'), join(ROOT, 'docs', 'vscode-trace-view-dark.png'));
          say('screenshot copied to docs/');
        }
      });
      await check('zoom buttons change the diagram\'s drawn size; Full width maximizes the view\'s group', async () => {
        const wv = webview();
        const w0 = await wv.locator('svg.diagram').first().evaluate((s) => s.getBoundingClientRect().width);
        await wv.locator('.tool[data-act="zoom-out"]').first().click();
        const w1 = await wv.locator('svg.diagram').first().evaluate((s) => s.getBoundingClientRect().width);
        if (!(w1 < w0)) throw new Error(`zoom out: ${w0} → ${w1}`);
        await wv.locator('.tool[data-act="zoom-reset"]').first().click();
        await wv.locator('.tool[data-act="maximize"]').first().click();
        await page.locator('.monaco-workbench.maximized-editor-group, .editor-group-container.max').first().waitFor({ timeout: 5000 }).catch(() => {});
        const col = await wv.locator('svg.diagram').first().evaluate(() => document.body.clientWidth);
        say(`full width: the view is ${col} px wide`);
        if (col < 900) throw new Error(`the view is ${col} px wide after Full width`);
        await settle();
        await page.screenshot({ path: join(shots, 'trace-view-full-width.png') });
        await wv.locator('.tool[data-act="maximize"]').first().click();
      });
    }

    if (traced) {
      await check('clicking a hop opens its input line', async () => {
        // A hop from a node's dump, so the click has to open another file.
        const hop = webview().locator('[data-testid="hop"][data-file*="iptables"][data-line]').first();
        await hop.waitFor({ timeout: 10000 });
        const file = await hop.getAttribute('data-file');
        const line = Number(await hop.getAttribute('data-line'));
        await hop.click();
        const base = file.split('/').pop();
        await page.locator('.tab.active', { hasText: base }).waitFor({ timeout: 15000 });
        const status = page.locator('.statusbar-item[id="status.editor.selection"]');
        await status.filter({ hasText: `Ln ${line},` }).waitFor({ timeout: 10000 });
        // The line is selected (the status bar counts selected characters) and lit.
        await status.filter({ hasText: /selected/ }).waitFor({ timeout: 10000 });
        say(`hop opened ${file}:${line}`);
        await settle();
        await page.screenshot({ path: join(shots, '2-hop-opened.png') });
      });
      await check('hovering a chain in a node dump shows its rules and who jumps to it', async () => {
        // The hop click left k8s-agent-0's nat listing open at its first rules; KUBE-MARK-MASQ's header is in view.
        await openFile('iptables-nat-L-n-v.txt');
        const token = page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'references' }).locator('span', { hasText: /^KUBE-MARK-MASQ$/ }).first();
        const hover = await hoverUntil(token, 'jumped to from');
        const t = await hover.textContent();
        if (!/\d+ rules?/.test(t) || !t.includes('KUBE-SEP-')) throw new Error(`hover text: ${t.slice(0, 300)}`);
        await settle();
        await page.screenshot({ path: join(shots, '3-chain-hover.png') });
      });
    }

    await check('hovering 10.0.0.10 in the topology shows both endpoints', async () => {
      await openFile('cluster.netsim.yaml');
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await editor.click();
      await page.keyboard.press('Control+F');
      const find = page.locator('.find-widget textarea, .find-widget input').first();
      await find.fill('clusterIP: 10.0.0.10');
      await page.keyboard.press('Escape');
      // The token on the Service's own line (another 10.0.0.10, in resolv.conf, sits higher up).
      const token = page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'clusterIP' }).locator('span', { hasText: /^10\.0\.0\.10$/ }).first();
      const hover = await hoverUntil(token, '10.244.1.2');
      const t = await hover.textContent();
      if (!/50%/.test(t) || !t.includes('10.244.0.2')) throw new Error(`hover text: ${t.slice(0, 300)}`);
      // It fits: nothing to scroll inside the hover, no hop list.
      const fit = await hover.evaluate((el) => { const s = el.querySelector('.monaco-scrollable-element > .monaco-hover-content, .hover-contents')?.parentElement ?? el; return { scroll: s.scrollHeight, client: s.clientHeight, h: el.getBoundingClientRect().height }; });
      say(`hover: ${fit.h.toFixed(0)} px high (content ${fit.scroll}, shown ${fit.client})`);
      if (fit.scroll > fit.client + 2 || /Outcome \d/.test(t)) throw new Error(`hover does not fit: ${JSON.stringify(fit)}`);
      if (!t.includes('pick another source')) throw new Error(`hover lacks the source link: ${t.slice(0, 300)}`);
      await settle();
      await page.screenshot({ path: join(shots, '4-hover.png') });
    });
    if (traced) {
      await check('the trace view comes back after a window reload (panel serializer + saved state)', async () => {
        await page.reload();
        await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
        const outcomes = webview().locator('[data-testid="outcome"]');
        await outcomes.nth(1).waitFor({ timeout: 60000 });
        const n = await outcomes.count();
        if (n !== 2) throw new Error(`expected 2 outcomes after reload, saw ${n}`);
        await settle();
        await page.screenshot({ path: join(shots, '5-restored.png') });
        // The restored view still opens input lines.
        const hop = webview().locator('[data-testid="hop"][data-file*="route-n"][data-line]').first();
        await hop.waitFor({ timeout: 10000 });
        const line = Number(await hop.getAttribute('data-line'));
        await hop.click();
        await page.locator('.tab.active', { hasText: 'route-n.txt' }).waitFor({ timeout: 15000 });
        await page.locator('.statusbar-item[id="status.editor.selection"]').filter({ hasText: `Ln ${line},` }).waitFor({ timeout: 10000 });
      });
    }
  } finally {
    writeFileSync(join(run, 'browser-console.log'), consoleLog.join('\n') + '\n\nBLOCKED (non-loopback) requests:\n' + blocked.join('\n') + '\n');
    say(`blocked non-loopback requests: ${blocked.length}`);
    await browser.close().catch(() => {});
    stopServer(server.child);
  }
  return { passed, failed };
}
