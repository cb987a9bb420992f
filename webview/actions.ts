/**
 * What the reader can do in the view, wired by event delegation on the root (the
 * view is re-rendered as a whole, so per-element listeners would be lost):
 * click, Enter or Space on a hop opens the input line it came from; "Trace
 * again" asks the extension to re-run the query.
 */
import { isFromWebview, type FromWebview } from '../src/protocol/messages';

/** Reads the message a hop row or retrace button stands for; undefined when the element does not stand for one. */
export function messageFor(el: Element): FromWebview | undefined {
  const hop = el.closest('.hop.openable');
  if (hop instanceof HTMLElement) {
    const m = { type: 'open', file: hop.dataset.file ?? '', line: Number(hop.dataset.line), column: Number(hop.dataset.column) || 1 };
    return isFromWebview(m) ? m : undefined;
  }
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
