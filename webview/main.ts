/**
 * Entry of the trace webview. Data arrives only by `postMessage` (the CSP allows
 * no inline script and the host splices nothing into the HTML); the last
 * message is kept with `setState` so a reloaded or restored panel draws the
 * same trace before the extension answers `ready`.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import { isToWebview, type ToWebview } from '../src/protocol/messages';
import { renderError, renderTraceView } from '../src/render/render-view';
import { TRACE_CSS } from '../src/render/trace-css';
import { setZoom, wireActions, wireDiagram } from './actions';
import { webviewApi } from './vscode-api';

const api = webviewApi();

/** The element the view renders into: the host page's `#root`, or one made here. */
function rootElement(): HTMLElement {
  const found = document.getElementById('root');
  if (found) return found;
  const main = document.createElement('main');
  main.id = 'root';
  document.body.append(main);
  return main;
}

/** The stylesheet is adopted rather than linked, so the same text serves the HTML export. */
function adoptStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(TRACE_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Focusable things a keyboard user may be on when a new trace replaces the view. */
const FOCUSABLE = '.hop.openable, .retrace';

/** Zoom per diagram (by result key), kept across re-renders of the same view. */
const zooms = new Map<string, number>();

/** The width the diagram can use: the view's column, less the wrapper's border. */
function diagramWidth(root: HTMLElement): number {
  return Math.max(240, root.clientWidth - 12);
}

function applyZooms(root: HTMLElement): void {
  for (const wrap of root.querySelectorAll<HTMLElement>('.diagram-wrap')) {
    const z = zooms.get(wrap.dataset.key ?? '');
    if (z !== undefined && z !== 1) setZoom(wrap, z);
  }
}

let last: ToWebview | undefined;
let laidOutFor = 0;

function show(root: HTMLElement, message: ToWebview): void {
  last = message;
  // Re-rendering replaces every element; keep the keyboard user where they were (same position in tab order).
  const before = [...root.querySelectorAll(FOCUSABLE)].indexOf(document.activeElement as Element);
  root.classList.add('trace-view');
  root.setAttribute('aria-busy', 'false');
  laidOutFor = diagramWidth(root);
  // Every string in the markup went through the renderer's escaping.
  root.innerHTML = message.type === 'error' ? renderError(message.message) : renderTraceView(message, 'webview', { width: laidOutFor });
  applyZooms(root);
  const again = before >= 0 ? root.querySelectorAll<HTMLElement>(FOCUSABLE)[before] : undefined;
  if (!again) return;
  // Rows inside a collapsible are only displayed (and focusable) once the element has rendered its slot.
  const pending = [...root.querySelectorAll('vscode-collapsible')].map((el) => (el as unknown as { updateComplete?: Promise<unknown> }).updateComplete);
  void Promise.all(pending).then(() => again.focus());
}

const root = rootElement();
adoptStyles();
wireActions(root, (m) => api.postMessage(m));
wireDiagram(root, (k) => zooms.get(k) ?? 1, (k, z) => zooms.set(k, z));
// A wider or narrower column (the view dragged, opened full width) lays the diagram out again.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (last?.type === 'trace' && Math.abs(diagramWidth(root) - laidOutFor) > 24) show(root, last);
  }, 150);
}).observe(root);
window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  if (!isToWebview(ev.data)) return;
  api.setState(ev.data);
  show(root, ev.data);
});
const saved = api.getState();
if (isToWebview(saved)) show(root, saved);
api.postMessage({ type: 'ready' });
