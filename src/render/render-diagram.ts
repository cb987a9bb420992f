/**
 * The cluster diagram as an SVG string, with each outcome's path drawn over it
 * in its own colour and its probability at the branch's end. Colours come only
 * from CSS classes (`oc-N`, `host-…`), so the stylesheet maps them to theme
 * variables and no inline style is needed under the webview's CSP.
 */
import type { Outcome, TraceResult } from '../core/sim/types';
import type { ClusterView } from '../protocol/cluster-view';
import { attrs, esc, percent } from './html';
import { replyMatters } from './words';
import { G, layoutDiagram, pathThrough, type Box, type HostPlace, type Point } from './layout-diagram';

/** How many outcome colours the stylesheet defines; outcomes beyond reuse them in turn. */
export const OUTCOME_COLOURS = 6;

/**
 * Renders the diagram for one result at its natural size (labels stay readable;
 * the view scrolls or zooms it); `key` makes marker ids unique when several
 * results share a page; `maxWidth` is the width it is laid out for.
 */
export function renderDiagram(view: ClusterView, result: TraceResult, key: string, maxWidth?: number): string {
  const layout = layoutDiagram(view, maxWidth);
  const parts: string[] = [];
  const { width, height } = layout;
  parts.push(`<svg class="diagram"${attrs({ 'data-testid': 'diagram', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': `Cluster diagram with ${result.outcomes.length} outcome path(s)` })}>`);
  parts.push('<defs>');
  for (let k = 0; k < Math.min(result.outcomes.length, OUTCOME_COLOURS); k++) {
    parts.push(`<marker id="${esc(key)}-arrow-${k}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="oc-${k} oc-fill" d="M0,0 L10,5 L0,10 z"/></marker>`);
  }
  parts.push('</defs>');
  if (layout.bus) {
    const b = layout.bus;
    parts.push(`<g class="bus"><line x1="${b.x1}" y1="${b.y}" x2="${b.x2}" y2="${b.y}"/><text class="bus-label" x="${b.x2 - 4}" y="${b.y - 5}" text-anchor="end">${esc(b.label)}</text>`);
    for (const y of layout.rowBuses) parts.push(`<line x1="${b.x1}" y1="${y}" x2="${b.x2}" y2="${y}"/>`);
    if (layout.trunk) parts.push(`<line x1="${layout.trunk.x}" y1="${layout.trunk.y1}" x2="${layout.trunk.x}" y2="${layout.trunk.y2}"/>`);
    parts.push('</g>');
  }
  // Nodes before pods: a pod box sits inside its node's box and must be painted over it.
  const places = [...layout.hosts.values()];
  for (const kind of ['router', 'host', 'node', 'pod'] as const) {
    for (const place of places) if (place.view.kind === kind) parts.push(renderHost(place, layout.bus ? place.busY : undefined));
  }
  if (layout.servicesY !== undefined) {
    parts.push(`<text class="band-label" x="${G.margin}" y="${layout.servicesY + 12}">Services</text>`);
    const targets = targetAddresses(result);
    for (const s of layout.services) {
      const hit = s.view.clusterIP !== undefined && targets.has(s.view.clusterIP);
      const line2 = [s.view.clusterIP ?? (s.view.type === 'ExternalName' ? 'ExternalName' : 'headless'), s.view.ports.join(' ')].filter(Boolean).join('  ');
      const full = `${s.view.namespace}/${s.view.name}`;
      if (hit) parts.push(serviceLinks(layout, s.box, result));
      parts.push(`<g class="service${hit ? ' service-hit' : ''}"${attrs({ 'data-service': full })}><title>${esc(`Service ${full}: ${line2}`)}</title>${rect(s.box, 'svc-box', 6)}`
        + `<text class="svc-name" x="${s.box.x + 8}" y="${s.box.y + 16}">${esc(clip(full, fits(s.box.w, 7.2)))}</text>`
        + `<text class="svc-ip" x="${s.box.x + 8}" y="${s.box.y + 32}">${esc(clip(line2, fits(s.box.w, 6.6)))}</text></g>`);
    }
  }
  result.outcomes.forEach((o, k) => parts.push(renderPath(layout, o, k, result.outcomes.length, key)));
  parts.push('</svg>');
  return parts.join('');
}

function renderHost(p: HostPlace, busY: number | undefined): string {
  const v = p.view;
  const addr = v.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0])).slice(0, 2).join(', ');
  const out: string[] = [`<g class="host host-${v.kind}"${attrs({ 'data-host': v.id })}><title>${esc(`${v.kind} ${v.id}${addr ? ` (${addr})` : ''}`)}</title>`];
  if (v.kind === 'router' || (v.kind !== 'node' && v.kind !== 'pod')) {
    if (busY !== undefined) out.push(`<line class="drop" x1="${p.attach.x}" y1="${p.attach.y}" x2="${p.attach.x}" y2="${busY}"/>`);
  }
  if (v.kind === 'node' && busY !== undefined) out.push(`<line class="drop" x1="${p.attach.x}" y1="${p.box.y}" x2="${p.attach.x}" y2="${busY}"/>`);
  out.push(rect(p.box, `box box-${v.kind}`, v.kind === 'pod' ? 8 : 4));
  const label = v.kind === 'pod' ? v.name : v.id;
  const kind = v.kind === 'router' ? 'router' : v.kind === 'host' ? 'host' : v.kind === 'node' ? 'node' : '';
  const w = v.kind === 'node' ? Math.min(p.box.w, 260) : p.box.w;
  out.push(`<text class="host-name" x="${p.box.x + 8}" y="${p.box.y + 18}">${esc(clip(label, fits(w, 7.4)))}</text>`);
  out.push(`<text class="host-addr" x="${p.box.x + 8}" y="${p.box.y + 35}">${esc(clip([kind, addr].filter(Boolean).join(' · '), fits(w, 6.6)))}</text>`);
  for (const b of p.bridges ?? []) {
    out.push(`${rect(b.bar, 'bridge', 3)}<text class="bridge-label" x="${b.bar.x + 6}" y="${b.bar.y + 13}">${esc(clip([b.name, ...b.addresses].join(' '), fits(b.bar.w, 6.6)))}</text>`);
  }
  out.push('</g>');
  return out.join('');
}

/** The addresses the trace aimed at, so the Service the packet was sent to can be marked. */
function targetAddresses(r: TraceResult): Set<string> {
  const s = new Set<string>(r.dns?.resolved ?? []);
  const m = /^(\d+\.\d+\.\d+\.\d+)/.exec(r.query.to);
  if (m) s.add(m[1]);
  return s;
}

function renderPath(layout: ReturnType<typeof layoutDiagram>, o: Outcome, k: number, n: number, key: string): string {
  const pts = pathThrough(layout, o.hops.map((h) => h.host).concat(o.at));
  if (pts.length === 0) return '';
  // Parallel outcomes sit side by side rather than on top of each other.
  const d = (k - (n - 1) / 2) * 5;
  const shifted = pts.map((p) => ({ x: p.x + d, y: p.y + d }));
  const c = k % OUTCOME_COLOURS;
  const end = shifted[shifted.length - 1];
  const start = shifted[0];
  const out = [`<g class="path oc-${c}"${attrs({ 'data-outcome': k })}>`];
  out.push(`<polyline class="oc-stroke" points="${shifted.map((p) => `${p.x},${p.y}`).join(' ')}"${attrs({ 'marker-end': o.disposition === 'delivered' && shifted.length > 1 ? `url(#${key}-arrow-${c})` : undefined })}/>`);
  out.push(`<circle class="oc-fill" cx="${start.x}" cy="${start.y}" r="3.5"/>`);
  if (o.disposition !== 'delivered') out.push(cross(end));
  if (o.reply && replyMatters(o)) {
    // A reply that fails is where the connection breaks: draw it dashed, to where it ended.
    const back = pathThrough(layout, [o.at, ...o.reply.hops.map((h) => h.host), o.reply.at]).map((p) => ({ x: p.x + d + 3, y: p.y + d + 3 }));
    if (back.length > 1) out.push(`<polyline class="oc-stroke reply-stroke" points="${back.map((p) => `${p.x},${p.y}`).join(' ')}"/>`);
    if (o.reply.disposition !== 'delivered' && back.length > 0) out.push(cross(back[back.length - 1]));
  }
  // At a router or plain host the path ends under its box: put the label below, not over the name.
  const kind = layout.hosts.get(o.at)?.view.kind;
  out.push(probabilityLabel(end, o, k, kind === 'router' || kind === 'host'));
  out.push('</g>');
  return out.join('');
}

/** A stop mark where a packet was dropped, rejected, unrouted or lost. */
function cross(p: Point): string {
  const r = 6;
  return `<path class="oc-stroke stop" d="M${p.x - r},${p.y - r} L${p.x + r},${p.y + r} M${p.x - r},${p.y + r} L${p.x + r},${p.y - r}"/>`;
}

function probabilityLabel(end: Point, o: Outcome, k: number, below: boolean): string {
  const text = `#${k + 1} ${percent(o.probability)}`;
  const w = text.length * 7 + 10;
  const x = end.x + 8;
  const y = below ? end.y + 6 + (k % 2) * 4 : end.y - 22 - (k % 2) * 4;
  return `<g class="prob"><rect class="oc-fill" x="${x}" y="${y}" width="${w}" height="17" rx="8"/><text class="prob-text" x="${x + w / 2}" y="${y + 12.5}" text-anchor="middle">${esc(text)}</text></g>`;
}

function rect(b: Box, cls: string, r: number): string {
  return `<rect class="${cls}" x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="${r}"/>`;
}

/** How many characters of `charW` user units fit in a box `w` wide with its padding. */
function fits(w: number, charW: number): number {
  return Math.max(4, Math.floor((w - 14) / charW));
}

/**
 * Shortens a label to `n` characters from the end (`kube-dns-v20-30037…`): the
 * start says what it is, the address on the next line tells two apart, and the
 * full name is the box's `<title>`, shown on hover.
 */
function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/**
 * The Service joined to the paths it starts: from the Service's box up to the
 * host whose rules translated the packet (kube-proxy's DNAT), once per host.
 */
function serviceLinks(layout: ReturnType<typeof layoutDiagram>, box: Box, r: TraceResult): string {
  const at = new Set<string>();
  for (const o of r.outcomes) {
    // The first step that rewrote the packet: the ClusterIP became an endpoint there.
    const nat = o.hops.find((h) => h.packet !== undefined);
    if (nat) at.add(nat.host);
  }
  const out: string[] = [];
  for (const id of at) {
    const h = layout.hosts.get(id);
    if (!h) continue;
    const x0 = box.x + box.w / 2;
    const y0 = box.y;
    const x1 = Math.min(Math.max(x0, h.box.x + 12), h.box.x + h.box.w - 12);
    const y1 = h.box.y + h.box.h;
    const mid = (y0 + y1) / 2;
    out.push(`<polyline class="svc-link"${attrs({ 'data-link': id })} points="${x0},${y0} ${x0},${mid} ${x1},${mid} ${x1},${y1}"><title>${esc(`the Service's ClusterIP is translated on ${id}`)}</title></polyline>`);
  }
  return out.join('');
}
