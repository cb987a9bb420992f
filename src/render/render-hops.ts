/**
 * Hop lists: every step of a packet's walk as a row that shows what happened,
 * on which host, and the input line that caused it (`file:line` and the line's
 * text). In the webview a row with an origin is a button that opens that line.
 */
import type { Hop } from '../core/sim/types';
import { attrs, esc } from './html';

/** Where the view is shown: the editor's webview (rows open files, VS Code elements) or a standalone page. */
export type Flavor = 'webview' | 'page';

/** Renders one hop row. */
export function renderHop(h: Hop, flavor: Flavor): string {
  const o = h.origin;
  const openable = flavor === 'webview' && o !== undefined && o.file !== '';
  const loc = o ? `${o.file || '(input)'}:${o.line}` : undefined;
  const a = attrs({
    class: `hop kind-${h.kind}${openable ? ' openable' : ''}`,
    'data-testid': 'hop',
    role: openable ? 'button' : undefined,
    tabindex: openable ? 0 : undefined,
    'data-file': openable ? o.file : undefined,
    'data-line': openable ? o.line : undefined,
    'data-column': openable ? o.column : undefined,
    title: openable ? `Open ${loc}` : undefined,
    'aria-label': openable ? `${h.kind} on ${h.host}: ${h.text}. Open ${loc}` : undefined,
  });
  const chain = h.table || h.chain ? `<span class="hop-chain">${esc([h.table, h.chain].filter(Boolean).join(' / '))}</span>` : '';
  const p = h.packet;
  const packet = p
    ? `<span class="hop-packet">${esc(`${p.src}${p.srcPort !== undefined ? `:${p.srcPort}` : ''} → ${p.dst}${p.dstPort !== undefined ? `:${p.dstPort}` : ''} ${p.protocol}`)}</span>`
    : '';
  // JSON from other tools may leave out an origin's text (the CLI spec's own example does).
  const line = typeof o?.text === 'string' ? o.text : '';
  const origin = o
    ? `<div class="hop-origin"><code class="hop-line"${attrs({ title: line || undefined })}>${esc(line.trim().replace(/\s+/g, ' '))}</code><span class="hop-loc">${esc(loc ?? '')}</span></div>`
    : '';
  return `<li><div${a}><div class="hop-head"><span class="hop-kind">${esc(h.kind)}</span><span class="hop-host">${esc(h.host)}</span>${chain}</div>`
    + `<div class="hop-text">${esc(h.text)}${packet}</div>${origin}</div></li>`;
}

/** Renders a list of hops, or a note when there are none. */
export function renderHops(hops: Hop[], flavor: Flavor): string {
  if (hops.length === 0) return '<p class="muted">No steps recorded.</p>';
  return `<ol class="hops">${hops.map((h) => renderHop(h, flavor)).join('')}</ol>`;
}
