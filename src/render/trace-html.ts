/**
 * The standalone page of `kube-netsim trace --html`: the same view as the
 * editor's trace panel, rendered by the same code, in one file that opens in
 * any browser with no network and no script. The trace data rides along as an
 * inert JSON block for tools that want it; the only inline style is allowed by
 * its hash in the page's Content-Security-Policy.
 */
import type { TraceResult } from '../core/sim/types';
import type { Cluster } from '../core/model/cluster';
import { EMPTY_CLUSTER_VIEW, toClusterView } from '../protocol/cluster-view';
import { esc } from './html';
import { renderTraceView, type TraceViewData } from './render-view';
import { sha256Base64 } from './sha256';
import { PAGE_THEME_CSS, TRACE_CSS } from './trace-css';

/** Renders `results` as one HTML page with the same view as the editor's trace panel. */
export function renderTraceHtml(results: TraceResult[], cluster: Cluster | undefined): string {
  const data: TraceViewData = {
    results,
    view: cluster ? toClusterView(cluster) : EMPTY_CLUSTER_VIEW,
    problems: cluster ? cluster.issues.filter((i) => i.severity !== 'info').map((i) => `${i.file ? `${i.file}:` : ''}${i.span.line}:${i.span.column}: ${i.message} [${i.code}]`) : [],
  };
  const css = PAGE_THEME_CSS + TRACE_CSS;
  const csp = `default-src 'none'; style-src 'sha256-${sha256Base64(css)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const title = results.length === 1 ? `kube-netsim trace: ${results[0].query.from} → ${results[0].query.to}` : `kube-netsim trace (${results.length} queries)`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // The policy is built here from fixed words and a base64 hash: nothing in it needs escaping.
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${css}</style>`,
    '</head><body>',
    `<main class="trace-view"><h1>${esc(title)}</h1>${renderTraceView(data, 'page')}</main>`,
    `<script type="application/json" id="data">${jsonForScript(data)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** JSON that cannot end its `<script>` element or open a comment: `<`, `>` and `&` become `\u…` escapes, which JSON reads back unchanged. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
