import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Disposition, TraceResult } from '../../src/core/sim/types';
import { renderTraceView, renderError } from '../../src/render/render-view';
import { toClusterView } from '../../src/protocol/cluster-view';
import { DNS_A, DNS_B, seedCluster, seedDnsResult, seedResult } from '../fixtures/render/seed';

const view = toClusterView(seedCluster());
const render = (results: TraceResult[], flavor: 'webview' | 'page', problems: string[] = []) => renderTraceView({ results, view, problems }, flavor);

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };

/** The text of the elements carrying a data-testid, with the text inside them (tags stripped), in document order. */
function byTestId(html: string, id: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<(\\w[\\w-]*)[^>]*data-testid="${id}"[^>]*>`, 'g');
  for (let m = re.exec(html); m; m = re.exec(html)) {
    // Find the matching close tag, counting nested tags of the same name.
    const tag = m[1];
    let depth = 1;
    const tagRe = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
    tagRe.lastIndex = m.index + m[0].length;
    let end = html.length;
    for (let t = tagRe.exec(html); t; t = tagRe.exec(html)) {
      depth += t[1] ? -1 : 1;
      if (depth === 0) { end = t.index; break; }
    }
    out.push(html.slice(m.index + m[0].length, end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ENTITIES[e]));
  }
  return out;
}

void test('both seed outcomes are listed with 50% and their dispositions in words', () => {
  for (const flavor of ['webview', 'page'] as const) {
    const html = render([seedResult()], flavor);
    const outcomes = byTestId(html, 'outcome');
    assert.equal(outcomes.length, 2, flavor);
    for (const o of outcomes) assert.match(o, /\b50%/);
    assert.deepEqual(byTestId(html, 'disposition'), [
      `delivered to ${DNS_A} (10.244.0.2:53) on k8s-agent-0 → connection works`,
      `delivered to ${DNS_B} (10.244.1.2:53) on k8s-agent-1 → connection works`,
    ]);
    assert.equal(byTestId(html, 'diagram').length, 1);
  }
});

void test('every hop, request and reply, is a row showing its input line and file:line', () => {
  const r = seedResult();
  const html = render([r], 'page');
  const hops = byTestId(html, 'hop');
  const all = r.outcomes.flatMap((o) => [...o.hops, ...(o.reply?.hops ?? [])]);
  assert.equal(hops.length, all.length);
  all.forEach((h, i) => {
    assert.ok(hops[i].includes(h.host), `hop ${i} names its host`);
    if (h.origin) {
      assert.ok(hops[i].includes(`${h.origin.file}:${h.origin.line}`), `hop ${i} shows file:line`);
      assert.ok(hops[i].includes(h.origin.text.trim().split(/\s+/)[0]), `hop ${i} shows the line's text`);
    }
  });
});

void test('in the webview, hops with an origin are focusable buttons carrying file, line and column; on a page they are not', () => {
  const r = seedResult();
  const web = render([r], 'webview');
  const rows = [...web.matchAll(/<div class="hop kind-[^"]*"[^>]*>/g)].map((m) => m[0]);
  const origins = r.outcomes.flatMap((o) => [...o.hops, ...(o.reply?.hops ?? [])]).map((h) => h.origin);
  assert.equal(rows.length, origins.length);
  rows.forEach((row, i) => {
    const o = origins[i];
    if (o) {
      assert.match(row, /role="button"/);
      assert.match(row, /tabindex="0"/);
      assert.ok(row.includes(`data-file="${o.file}"`) && row.includes(`data-line="${o.line}"`) && row.includes(`data-column="${o.column}"`), row);
    } else {
      assert.doesNotMatch(row, /role=|tabindex=|data-file=/);
    }
  });
  const page = render([r], 'page');
  assert.doesNotMatch(page, /role="button"|tabindex=|data-file=/);
  assert.doesNotMatch(page, /<vscode-/);
  assert.match(web, /<vscode-collapsible/);
  assert.match(web, /<vscode-badge class="probability">50%<\/vscode-badge>/);
});

void test('each disposition gets its sentence in the outcome list', () => {
  const cases: [Disposition, string][] = [
    ['rejected', 'rejected by k8s-agent-0 → connection refused'],
    ['dropped', 'dropped by k8s-agent-0 → connection times out'],
    ['no-route', 'no route at k8s-agent-0 → connection fails at once (host unreachable)'],
    ['blackhole', 'blackholed at k8s-agent-0 → connection times out'],
    ['loop', 'looped (TTL ran out) at k8s-agent-0 → connection times out'],
    ['exited', 'left the modelled network at k8s-agent-0 → connection times out'],
  ];
  for (const [d, want] of cases) {
    const r: TraceResult = { ...seedResult(), outcomes: [{ probability: 1, disposition: d, at: 'k8s-agent-0', hops: [{ host: 'k8s-agent-0', kind: 'drop', text: 'end' }] }] };
    const html = render([r], 'page');
    assert.deepEqual(byTestId(html, 'disposition'), [want], d);
    assert.match(byTestId(html, 'outcome')[0], /100%/);
  }
});

void test('a reply blackholed on the way back says the connection times out', () => {
  const r = seedResult();
  r.outcomes[1] = { ...r.outcomes[1], connection: undefined, reply: { disposition: 'blackhole', at: 'azure-gateway', hops: [{ host: 'azure-gateway', kind: 'drop', text: 'blackhole 10.244.0.0/24' }] } };
  assert.equal(byTestId(render([r], 'page'), 'disposition')[1], `delivered to ${DNS_B} (10.244.1.2:53) on k8s-agent-1; reply blackholed at azure-gateway → connection times out`);
});

void test('the DNS phase comes before the diagram and lists each query with its answer', () => {
  const html = render([seedDnsResult()], 'page');
  const dns = html.indexOf('class="dns"');
  assert.ok(dns >= 0 && dns < html.indexOf('data-testid="diagram"'));
  assert.match(html, /DNS: resolved to 10\.0\.0\.10 via 10\.0\.0\.10/);
  assert.match(html, /<code>kube-dns\.kube-system\.default\.svc\.cluster\.local\.<\/code> <span class="qtype">A<\/span> → <span class="answer answer-nxdomain">NXDOMAIN<\/span>/);
  assert.match(html, /<code>kube-dns\.kube-system\.svc\.cluster\.local\.<\/code> <span class="qtype">A<\/span> → <span class="answer">10\.0\.0\.10<\/span>/);
});

void test('a trace that could not run shows an error, and so does an error message', () => {
  const r: TraceResult = { ...seedResult(), outcomes: [], error: 'unknown source pod "nope"' };
  const html = render([r], 'webview');
  assert.deepEqual(byTestId(html, 'error'), ['Trace could not run. unknown source pod "nope"']);
  assert.equal(byTestId(html, 'outcome').length, 0);
  assert.deepEqual(byTestId(renderError('topology <broken>'), 'error'), ['Trace could not run. topology <broken>']);
});

void test('hostile text from input files is escaped everywhere it appears', () => {
  const evil = '"><img src=x onerror=alert(1)></script><script>alert(1)</script>';
  const r = seedResult();
  r.query.from = evil;
  r.outcomes[0].hops[0] = { ...r.outcomes[0].hops[0], host: evil, text: evil, origin: { file: evil, line: 3, column: 1, text: evil } };
  r.outcomes[0].assumptions = [evil];
  for (const flavor of ['webview', 'page'] as const) {
    const html = render([r], flavor, [evil]);
    assert.doesNotMatch(html, /<script|<img|onerror=alert\(1\)>|"><img/i, flavor);
    assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
  }
});

void test('problems of the topology are listed before the traces', () => {
  const html = render([seedResult()], 'page', ['cluster.netsim.yaml:12:3: unknown pod [topology-unknown-pod]']);
  assert.ok(html.indexOf('topology-unknown-pod') < html.indexOf('data-testid="result"'));
});

void test('any text in any field adds no markup: the output has as many < and " as with plain text', async () => {
  const fc = (await import('fast-check')).default;
  const shape = (s: string): TraceResult => {
    const r = seedResult();
    r.query.from = s;
    r.source.pod = s;
    const hop = r.outcomes[0].hops[0];
    r.outcomes[0].hops[0] = { ...hop, host: s, text: s, chain: s, origin: { file: s, line: 1, column: 1, text: s } };
    r.outcomes[1].assumptions = [s];
    r.outcomes[1].delivered = { ip: s, pod: s, node: s };
    return r;
  };
  const counts = (h: string) => [h.split('<').length, h.split('"').length, h.split('>').length];
  for (const flavor of ['webview', 'page'] as const) {
    const plain = counts(render([shape('x')], flavor, ['x']));
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''), (s) => {
      assert.deepEqual(counts(render([shape(s)], flavor, [s])), plain);
    }), { numRuns: 200 });
  }
});

void test('a hop origin without its text (as some JSON gives it) still renders file:line', () => {
  const r = seedResult();
  r.outcomes[0].hops[0] = { ...r.outcomes[0].hops[0], origin: JSON.parse('{"file":"cluster.netsim.yaml","line":41}') as never };
  const hops = byTestId(render([r], 'webview'), 'hop');
  assert.match(hops[0], /cluster\.netsim\.yaml:41/);
});

void test('a DNS query lists its packet paths only when one of them fails', () => {
  const ok = render([seedDnsResult()], 'page');
  assert.doesNotMatch(ok, /class="dns-trace"/);
  const r = seedDnsResult();
  const lost = { probability: 0.5, disposition: 'dropped' as const, at: 'k8s-agent-1', hops: [] };
  r.dns!.queries[1] = { ...r.dns!.queries[1], answer: 'timeout', trace: { outcomes: [r.dns!.queries[1].trace.outcomes[0], lost] } };
  const html = render([r], 'page');
  assert.match(html, /<ul class="dns-trace"><li>50% delivered to [^<]*<\/li><li>50% dropped by k8s-agent-1 → connection times out<\/li><\/ul>/);
  assert.match(html, /<span class="answer answer-timeout">timeout<\/span>/);
});
