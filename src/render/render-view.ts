/**
 * The whole trace view as an HTML string: the one renderer behind the editor's
 * trace panel and the standalone page of `kube-netsim trace --html`. For each
 * result: the query, the DNS phase when the destination was a name, the
 * diagram, then every outcome with its disposition in words and the hops of
 * the request and of the reply.
 */
import type { DnsResult, Outcome, TraceResult } from '../core/sim/types';
import type { ClusterView } from '../protocol/cluster-view';
import { attrs, esc, percent } from './html';
import { OUTCOME_COLOURS, renderDiagram } from './render-diagram';
import { renderHops, type Flavor } from './render-hops';
import { describeConnection, describeReply, outcomeSentence } from './words';

/** What the view shows: the same payload the extension posts to the webview. */
export interface TraceViewData {
  results: TraceResult[];
  view: ClusterView;
  problems: string[];
}

/** How wide the view is (the webview measures its column); the diagram is laid out to fit it. */
export interface ViewSize {
  width?: number;
}

/** Renders the view; `flavor` only changes containers (VS Code elements or plain `<details>`) and whether hops open files. */
export function renderTraceView(data: TraceViewData, flavor: Flavor, size: ViewSize = {}): string {
  const out: string[] = [];
  if (data.problems.length > 0) {
    out.push(section(flavor, `Problems in the topology (${data.problems.length})`, `<ul class="problems">${data.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`, true, 'problems-box'));
  }
  if (data.results.length === 0) out.push('<p class="muted">No trace to show yet.</p>');
  data.results.forEach((r, i) => out.push(renderResult(r, data.view, flavor, `r${i}`, size)));
  return out.join('');
}

/** Renders the message shown when the trace could not run at all. */
export function renderError(message: string): string {
  return `<div class="error" data-testid="error" role="alert"><strong>Trace could not run.</strong> ${esc(message)}</div>`;
}

function renderResult(r: TraceResult, view: ClusterView, flavor: Flavor, key: string, size: ViewSize): string {
  const q = r.query;
  const dst = q.port !== undefined && !/:\d+$/.test(q.to) ? `${q.to}:${q.port}` : q.to;
  const src = r.source;
  const who = src.pod ? `pod ${src.pod}${src.node ? ` on ${src.node}` : ''}` : src.host ?? src.node ?? '';
  const out = [`<section class="result"${attrs({ 'data-testid': 'result', 'aria-label': `Trace ${q.from} to ${dst}` })}>`];
  out.push(`<header class="result-head"><h2>${esc(q.from)} → ${esc(dst)} <span class="proto">${esc(q.protocol)}</span></h2>`);
  if (src.ip) out.push(`<p class="muted">source ${esc(src.ip)}${who ? ` (${esc(who)})` : ''}</p>`);
  if (flavor === 'webview') {
    out.push(`<vscode-button class="retrace" secondary${attrs({ 'data-query': JSON.stringify({ from: q.from, to: q.to, protocol: q.protocol, port: q.port }) })}>Trace again</vscode-button>`);
  }
  out.push('</header>');
  if (r.error !== undefined) {
    out.push(renderError(r.error), '</section>');
    return out.join('');
  }
  if (r.assumptions?.length) out.push(assumptions(r.assumptions));
  if (r.dns) out.push(renderDns(r.dns, flavor));
  if (flavor === 'webview') out.push(diagramTools());
  out.push(`<div class="diagram-wrap"${attrs({ 'data-key': key, tabindex: flavor === 'webview' ? 0 : undefined, 'aria-label': flavor === 'webview' ? 'Cluster diagram: drag or use the scroll bars to pan' : undefined })}>${renderDiagram(view, r, key, size.width)}</div>`);
  if (r.outcomes.length === 0) out.push(`<p class="muted" data-testid="no-outcomes">No connection was attempted${r.dns?.error ? `: ${esc(r.dns.error)}` : ''}.</p>`);
  out.push(`<ol class="outcomes">${r.outcomes.map((o, k) => renderOutcome(o, k, r.outcomes.length, flavor)).join('')}</ol>`);
  out.push('</section>');
  return out.join('');
}

function renderOutcome(o: Outcome, k: number, n: number, flavor: Flavor): string {
  const c = k % OUTCOME_COLOURS;
  const ok = o.disposition === 'delivered' && (!o.reply || o.reply.disposition === 'delivered') && o.connection !== 'timeout' && o.connection !== 'broken';
  const out = [`<li class="outcome oc-${c} ${ok ? 'good' : 'bad'}"${attrs({ 'data-testid': 'outcome', 'data-outcome': k, 'data-disposition': o.disposition })}>`];
  out.push('<div class="outcome-head">');
  out.push(`<span class="swatch oc-fill" aria-hidden="true"></span><span class="outcome-title">Outcome ${k + 1}${n > 1 ? ` of ${n}` : ''}</span>`);
  out.push(badge(flavor, percent(o.probability), 'probability'));
  out.push(`<span class="disposition"${attrs({ 'data-testid': 'disposition' })}>${esc(outcomeSentence(o))}</span>`);
  out.push('</div>');
  if (o.seenSource) out.push(`<p class="muted">receiver sees source ${esc(o.seenSource.ip)}${o.seenSource.port !== undefined ? `:${o.seenSource.port}` : ''}</p>`);
  if (o.assumptions?.length) out.push(assumptions(o.assumptions));
  out.push(section(flavor, `Request: ${o.hops.length} step${o.hops.length === 1 ? '' : 's'}`, renderHops(o.hops, flavor), true, 'leg'));
  if (o.reply) {
    out.push(section(flavor, `Reply: ${describeReply(o.reply).replace(/^reply /, '')}`, renderHops(o.reply.hops, flavor), true, 'leg reply'));
    const e = o.reply.established;
    if (e) out.push(section(flavor, `Then the sender's ACK: ${e.disposition} at ${e.at}`, renderHops(e.hops, flavor), true, 'leg reply'));
  }
  out.push('</li>');
  return out.join('');
}

/** Zoom and full-width buttons above the diagram (the webview wires them; the page scrolls at natural size). */
function diagramTools(): string {
  const b = (act: string, label: string, text: string) => `<button type="button" class="tool"${attrs({ 'data-act': act, title: label, 'aria-label': label })}>${esc(text)}</button>`;
  return `<div class="diagram-tools" role="toolbar" aria-label="Diagram">${b('zoom-out', 'Zoom out', '−')}${b('zoom-reset', 'Natural size', '100%')}${b('zoom-in', 'Zoom in', '+')}${b('zoom-fit', 'Fit the width', 'Fit')}${b('maximize', 'Open the trace view full width (toggle)', 'Full width')}</div>`;
}

function renderDns(d: DnsResult, flavor: Flavor): string {
  const rows = d.queries.map((q) => {
    const answer = Array.isArray(q.answer) ? q.answer.join(', ') : q.answer;
    const by = q.answeredBy?.length ? ` <span class="muted">answered by ${esc(q.answeredBy.map((a) => `${a.pod ?? a.ip} (${percent(a.probability)})`).join(', '))}</span>` : '';
    // The query packets' own walks matter when one of them fails; when all work, one word says so.
    const failed = q.trace.outcomes.filter((o) => describeConnection(o) !== 'connection works');
    const trace = failed.length
      ? `<ul class="dns-trace">${q.trace.outcomes.map((o) => `<li>${esc(percent(o.probability))} ${esc(outcomeSentence(o))}</li>`).join('')}</ul>`
      : '';
    const cls = Array.isArray(q.answer) ? 'answer' : `answer answer-${q.answer.toLowerCase()}`;
    return `<li class="dns-query"><code>${esc(q.name)}</code> <span class="qtype">${esc(q.type)}</span> → <span class="${cls}">${esc(answer)}</span>${by}${trace}</li>`;
  });
  const head = d.resolved.length ? `DNS: resolved to ${d.resolved.join(', ')} via ${d.nameserver}` : `DNS: not resolved via ${d.nameserver}`;
  const err = d.error ? `<p class="error-text">${esc(d.error)}</p>` : '';
  return section(flavor, head, `${err}<ol class="dns-queries">${rows.join('')}</ol>`, true, 'dns');
}

function assumptions(list: string[]): string {
  return `<ul class="assumptions" aria-label="Assumptions">${list.map((a) => `<li>assumed: ${esc(a)}</li>`).join('')}</ul>`;
}

/** A titled, collapsible block: `vscode-collapsible` in the editor, `<details>` on a plain page. */
function section(flavor: Flavor, heading: string, body: string, open: boolean, cls: string): string {
  if (flavor === 'webview') return `<vscode-collapsible${attrs({ class: cls, heading, open })}>${body}</vscode-collapsible>`;
  return `<details${attrs({ class: cls, open })}><summary>${esc(heading)}</summary>${body}</details>`;
}

function badge(flavor: Flavor, text: string, cls: string): string {
  return flavor === 'webview' ? `<vscode-badge class="${cls}">${esc(text)}</vscode-badge>` : `<span class="badge ${cls}">${esc(text)}</span>`;
}
