/**
 * What the reader can do in the view, wired by event delegation on the root (the
 * view is re-rendered as a whole, so per-element listeners would be lost):
 * click, Enter or Space on a hop opens the input line it came from; "Trace
 * again" asks the extension to re-run the query; "Full width" asks for the
 * whole window. The diagram's zoom and pan stay in the page.
 */
import { isFromWebview, type FromWebview } from '../src/protocol/messages';

/** Reads the message a hop row or retrace button stands for; undefined when the element does not stand for one. */
export function messageFor(el: Element): FromWebview | undefined {
  const hop = el.closest('.hop.openable');
  if (hop instanceof HTMLElement) {
    const m = { type: 'open', file: hop.dataset.file ?? '', line: Number(hop.dataset.line), column: Number(hop.dataset.column) || 1 };
    return isFromWebview(m) ? m : undefined;
  }
  if (el.closest('.tool[data-act="maximize"]')) return { type: 'maximize' };
  const retrace = el.closest('.retrace');
  if (retrace instanceof HTMLElement && retrace.dataset.query) {
    try {
      const m = { type: 'retrace', query: JSON.parse(retrace.dataset.query) as unknown };
      return isFromWebview(m) ? m : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Listens on `root` and posts each action through `post`. */
export function wireActions(root: HTMLElement, post: (m: FromWebview) => void): void {
  root.addEventListener('click', (ev) => {
    if (!(ev.target instanceof Element)) return;
    const m = messageFor(ev.target);
    if (m) post(m);
  });
  root.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    if (!(ev.target instanceof Element) || !ev.target.matches('.hop.openable')) return;
    // Space would scroll the page; Enter on a focused row is the activation itself.
    ev.preventDefault();
    const m = messageFor(ev.target);
    if (m) post(m);
  });
}

/** Zoom steps of the diagram (1 = natural size, where labels are 11–12 px). */
const ZOOMS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2];

/** The diagram's natural size, from its viewBox. */
function natural(svg: SVGSVGElement): { w: number; h: number } {
  const vb = svg.viewBox.baseVal;
  return { w: vb.width, h: vb.height };
}

/** Sets a diagram's zoom: its drawn size is the natural size times `z`. */
export function setZoom(wrap: HTMLElement, z: number): void {
  const svg = wrap.querySelector('svg.diagram');
  if (!(svg instanceof SVGSVGElement)) return;
  const n = natural(svg);
  wrap.dataset.zoom = String(z);
  svg.setAttribute('width', String(Math.round(n.w * z)));
  svg.setAttribute('height', String(Math.round(n.h * z)));
}

/** Zoom buttons and drag-to-pan on every diagram of `root` (delegated, so re-rendering keeps them working). */
export function wireDiagram(root: HTMLElement, zoomOf: (key: string) => number, remember: (key: string, z: number) => void): void {
  root.addEventListener('click', (ev) => {
    const tool = ev.target instanceof Element ? ev.target.closest('.tool[data-act]') : null;
    if (!(tool instanceof HTMLElement)) return;
    const wrap = tool.parentElement?.nextElementSibling;
    if (!(wrap instanceof HTMLElement) || !wrap.classList.contains('diagram-wrap')) return;
    const key = wrap.dataset.key ?? '';
    const z = zoomOf(key);
    const i = ZOOMS.indexOf(z);
    let next = z;
    if (tool.dataset.act === 'zoom-in') next = ZOOMS[Math.min(ZOOMS.length - 1, (i < 0 ? 3 : i) + 1)];
    else if (tool.dataset.act === 'zoom-out') next = ZOOMS[Math.max(0, (i < 0 ? 3 : i) - 1)];
    else if (tool.dataset.act === 'zoom-reset') next = 1;
    else if (tool.dataset.act === 'zoom-fit') {
      const svg = wrap.querySelector('svg.diagram');
      if (svg instanceof SVGSVGElement) next = Math.min(2, (wrap.clientWidth - 2) / natural(svg).w);
    } else return;
    remember(key, next);
    setZoom(wrap, next);
  });
  let drag: { wrap: HTMLElement; x: number; y: number; left: number; top: number } | undefined;
  root.addEventListener('pointerdown', (ev) => {
    const wrap = ev.target instanceof Element ? ev.target.closest('.diagram-wrap') : null;
    if (!(wrap instanceof HTMLElement) || ev.button !== 0) return;
    drag = { wrap, x: ev.clientX, y: ev.clientY, left: wrap.scrollLeft, top: wrap.scrollTop };
    wrap.classList.add('panning');
  });
  root.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    drag.wrap.scrollLeft = drag.left - (ev.clientX - drag.x);
    drag.wrap.scrollTop = drag.top - (ev.clientY - drag.y);
  });
  const end = () => { drag?.wrap.classList.remove('panning'); drag = undefined; };
  root.addEventListener('pointerup', end);
  root.addEventListener('pointercancel', end);
}
