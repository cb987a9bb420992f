/**
 * The trace webview in a real browser, under the panel's kind of CSP: bundles
 * webview/main.ts, serves it on loopback, posts messages into it and checks
 * what it draws and what it posts back. Skips when no Chromium is installed.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { servePanel } from './harness';
import { toClusterView } from '../../src/protocol/cluster-view';
import type { FromWebview, ToWebview } from '../../src/protocol/messages';
import { seedCluster, seedResult } from '../fixtures/render/seed';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const skip = CHROMIUM ? false : 'no chromium installed';
const trace: ToWebview = { type: 'trace', results: [seedResult()], view: toClusterView(seedCluster()), problems: [] };

let dir = '';
let server: Server | undefined;
let origin = '';
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'netsim-webview-'));
  await build({ entryPoints: ['webview/main.ts'], bundle: true, outfile: join(dir, 'main.js'), format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'error' });
  copyFileSync('webview/style.css', join(dir, 'style.css'));
  ({ origin, server } = await servePanel(dir));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(theme = 'vscode-dark'): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${origin}/?theme=${theme}`);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobal).__posted.length > 0);
  return page;
}

/** The page's global object; typed by hand because this test is compiled without the DOM library. */
interface PageGlobal {
  __posted: FromWebview[];
  __violations: string[];
  postMessage(m: unknown, origin: string): void;
  getComputedStyle(el: unknown): { borderLeftWidth: string };
}

const posted = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobal).__posted);
const violations = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobal).__violations);
const send = (page: Page, m: unknown) => page.evaluate((x) => (globalThis as unknown as PageGlobal).postMessage(x, '*'), m);

void test('the view says ready, then draws a posted trace without any CSP violation', { skip }, async () => {
  const page = await open();
  assert.deepEqual(await posted(page), [{ type: 'ready' }]);
  await send(page, trace);
  await page.waitForSelector('[data-testid="outcome"]');
  assert.equal(await page.locator('[data-testid="outcome"]').count(), 2);
  assert.equal(await page.locator('svg[data-testid="diagram"]').count(), 1);
  assert.deepEqual((await page.locator('[data-testid="disposition"]').allTextContents()).map((t) => /^delivered to (\S+)/.exec(t)?.[1]),
    trace.type === 'trace' ? trace.results[0].outcomes.map((o) => o.delivered?.pod) : []);
  // The shared stylesheet was adopted: outcome cards have their coloured edge.
  assert.equal(await page.locator('[data-testid="outcome"]').first().evaluate((el) => (globalThis as unknown as PageGlobal).getComputedStyle(el).borderLeftWidth), '4px');
  assert.deepEqual(await violations(page), []);
  await page.close();
});

void test('click, Enter and Space on a hop post open with its file, line and column; Tab reaches the next hop', { skip }, async () => {
  const page = await open();
  await send(page, trace);
  const hops = page.locator('.hop.openable');
  await hops.first().click();
  await hops.nth(1).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press(' ');
  const first = trace.type === 'trace' ? trace.results[0].outcomes[0].hops.filter((h) => h.origin).map((h) => h.origin!) : [];
  assert.deepEqual((await posted(page)).slice(1), [0, 1, 2].map((i) => ({ type: 'open', file: first[i].file, line: first[i].line, column: first[i].column })));
  await page.close();
});

void test('after a reload the last trace is drawn again from saved state', { skip }, async () => {
  const page = await open();
  await send(page, trace);
  await page.waitForSelector('[data-testid="outcome"]');
  await page.reload();
  await page.waitForSelector('[data-testid="outcome"]');
  assert.equal(await page.locator('[data-testid="hop"]').count(), 33);
  await page.close();
});

void test('an error message is shown; a malformed message is ignored', { skip }, async () => {
  const page = await open();
  await send(page, trace);
  await send(page, { type: 'trace', results: 'nope' });
  assert.equal(await page.locator('[data-testid="outcome"]').count(), 2);
  await send(page, { type: 'error', message: 'cluster.netsim.yaml:3:1: unknown source pod' });
  await page.waitForSelector('[data-testid="error"]');
  assert.match(await page.locator('[data-testid="error"]').innerText(), /unknown source pod/);
  assert.equal(await page.locator('[data-testid="outcome"]').count(), 0);
  await page.close();
});

void test('"Trace again" posts the query back', { skip }, async () => {
  const page = await open();
  await send(page, trace);
  await page.locator('.retrace').click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'retrace', query: { from: 'default/ubuntu', to: '10.0.0.10', protocol: 'udp', port: 53 } });
  await page.close();
});

void test('a new trace keeps keyboard focus on the same row', { skip }, async () => {
  const page = await open();
  await send(page, trace);
  await page.locator('.hop.openable').nth(2).focus();
  // Mark the old rows, so the wait below ends when the new trace has replaced them.
  await page.locator('.hop.openable').first().evaluate((el) => (el as unknown as { id: string }).id = 'stale');
  await send(page, trace);
  await page.locator('#stale').waitFor({ state: 'detached' });
  await page.locator('.hop.openable:focus').waitFor();
  await page.keyboard.press('Enter');
  const first = trace.type === 'trace' ? trace.results[0].outcomes[0].hops.filter((h) => h.origin).map((h) => h.origin!) : [];
  assert.deepEqual((await posted(page)).at(-1), { type: 'open', file: first[2].file, line: first[2].line, column: first[2].column });
  await page.close();
});
