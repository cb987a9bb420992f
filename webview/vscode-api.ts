/**
 * The slice of the webview API the trace view uses. `acquireVsCodeApi` is
 * injected by VS Code into every webview; typing only what is used keeps the
 * view honest about what it sends (only FromWebview messages).
 */
import type { FromWebview } from '../src/protocol/messages';

/** The handle VS Code gives a webview script, once per page. */
export interface WebviewApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): WebviewApi;
}

/** The page's API handle, or a stand-in that only keeps state when the page runs outside VS Code (a browser preview). */
export function webviewApi(): WebviewApi {
  if (typeof acquireVsCodeApi === 'function') return acquireVsCodeApi();
  let state: unknown;
  return { postMessage: () => undefined, getState: () => state, setState: (s) => { state = s; } };
}
