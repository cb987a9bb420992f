import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { jsonForScript, renderTraceHtml } from '../../src/render/trace-html';
import { sha256Base64 } from '../../src/render/sha256';
import { percent } from '../../src/render/html';
import { DNS_A, DNS_B, seedCluster, seedResult } from '../fixtures/render/seed';

void test('the export of the seed holds each outcome, its probability and every hop text', () => {
  const r = seedResult();
  const html = renderTraceHtml([r], seedCluster());
  assert.equal(html.match(/data-testid="outcome"/g)?.length, 2);
  assert.equal(html.match(/<span class="badge probability">50%<\/span>/g)?.length, 2);
  for (const pod of [DNS_A, DNS_B]) assert.ok(html.includes(`delivered to ${pod}`), pod);
  for (const h of r.outcomes.flatMap((o) => [...o.hops, ...(o.reply?.hops ?? [])])) {
    assert.ok(html.includes(h.text.replace(/>/g, '&gt;')), h.text);
    if (h.origin) assert.ok(html.includes(`${h.origin.file}:${h.origin.line}`));
  }
  assert.match(html, /data-testid="diagram"/);
  assert.match(html, /<h1>kube-netsim trace: default\/ubuntu → 10\.0\.0\.10<\/h1>/);
});

void test('the page is self-contained: no external resource, no executable script, a CSP whose hash matches its style', () => {
  const html = renderTraceHtml([seedResult()], seedCluster());
  assert.doesNotMatch(html, /\b(src|href)=/);
  assert.doesNotMatch(html, /@import|url\((?!#)/, 'only same-document url(#…) references');
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [' type="application/json" id="data"']);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  assert.ok(csp.includes(`style-src 'sha256-${hash}'`), 'style allowed by its hash');
});

void test('the embedded data reads back as the results, the cluster view and the problems', () => {
  const r = seedResult();
  const c = seedCluster();
  c.issues.push({ code: 'topology-unknown-pod', severity: 'warning', message: 'unknown pod', file: 'cluster.netsim.yaml', span: { start: 0, end: 1, line: 12, column: 3, endLine: 12, endColumn: 4 } });
  const html = renderTraceHtml([r], c);
  const json = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const data = JSON.parse(json) as { results: unknown; view: { nodes: unknown[] }; problems: string[] };
  assert.deepEqual(data.results, JSON.parse(JSON.stringify([r])));
  assert.equal(data.view.nodes.length, 3);
  assert.deepEqual(data.problems, ['cluster.netsim.yaml:12:3: unknown pod [topology-unknown-pod]']);
});

void test('hostile hop text cannot close the data script or inject markup', () => {
  const evil = '</script><script>alert(1)</script><!--';
  const r = seedResult();
  r.outcomes[0].hops[3] = { ...r.outcomes[0].hops[3], text: evil, origin: { file: 'x.txt', line: 1, column: 1, text: evil } };
  r.query.to = evil;
  const html = renderTraceHtml([r], seedCluster());
  assert.equal(html.match(/<\/script>/gi)?.length, 1, 'only the data block closes a script');
  assert.doesNotMatch(html, /<script>alert|<!--/);
  const json = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  assert.equal((JSON.parse(json) as { results: { outcomes: { hops: { text: string }[] }[] }[] }).results[0].outcomes[0].hops[3].text, evil);
});

void test('without a cluster the page still renders the outcomes', () => {
  const html = renderTraceHtml([seedResult()], undefined);
  assert.equal(html.match(/data-testid="outcome"/g)?.length, 2);
});

void test('jsonForScript round-trips any value and never contains <, > or &', () => {
  fc.assert(fc.property(fc.jsonValue(), (v) => {
    const s = jsonForScript(v);
    assert.doesNotMatch(s, /[<>&]/);
    assert.deepEqual(JSON.parse(s), JSON.parse(JSON.stringify(v)));
  }));
});

void test('sha256Base64 agrees with node:crypto', () => {
  for (const s of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'ü → 🚀']) {
    assert.equal(sha256Base64(s), createHash('sha256').update(s, 'utf8').digest('base64'), JSON.stringify(s));
  }
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => sha256Base64(s) === createHash('sha256').update(s, 'utf8').digest('base64')));
});

void test('probabilities read as percentages', () => {
  const cases: [number, string][] = [[0.5, '50%'], [1, '100%'], [1 / 3, '33.3%'], [0.125, '12.5%'], [0.0001, '0%'], [2 / 3, '66.7%']];
  for (const [p, want] of cases) assert.equal(percent(p), want);
});
