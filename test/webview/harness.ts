/**
 * A stand-in for the extension's trace panel: serves dist/webview on loopback
 * with the same kind of Content-Security-Policy the panel sets (no inline
 * script except a nonce'd one, styles only from the served folder), and an
 * `acquireVsCodeApi` stub that records what the view posts.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A few of the colours VS Code sets on a webview's <html> per theme (Dark+, Light+, High Contrast). */
const THEMES: Record<string, Record<string, string>> = {
  'vscode-dark': { foreground: '#cccccc', descriptionForeground: '#9d9d9d', 'editor-background': '#1f1f1f', 'editorWidget-background': '#202020', 'panel-border': '#2b2b2b', focusBorder: '#0078d4', 'textLink-foreground': '#4daafc', 'textCodeBlock-background': '#2b2b2b', 'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-green': '#89d185', 'errorForeground': '#f85149', 'sideBar-background': '#181818', 'sideBarSectionHeader-background': '#181818', 'font-family': 'system-ui, sans-serif', 'font-size': '13px' },
  'vscode-light': { foreground: '#3b3b3b', descriptionForeground: '#6c6c6c', 'editor-background': '#ffffff', 'editorWidget-background': '#f8f8f8', 'panel-border': '#e5e5e5', focusBorder: '#005fb8', 'textLink-foreground': '#005fb8', 'textCodeBlock-background': '#f0f0f0', 'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-purple': '#652d90', 'charts-green': '#388a34', 'errorForeground': '#f85149', 'sideBar-background': '#f8f8f8', 'sideBarSectionHeader-background': '#f8f8f8', 'sideBarTitle-foreground': '#3b3b3b', 'icon-foreground': '#3b3b3b', 'font-family': 'system-ui, sans-serif', 'font-size': '13px' },
  'vscode-high-contrast': { foreground: '#ffffff', descriptionForeground: '#ffffff', 'editor-background': '#000000', 'editorWidget-background': '#0c141f', 'panel-border': '#6fc3df', contrastBorder: '#6fc3df', focusBorder: '#f38518', 'textLink-foreground': '#21a6ff', 'textCodeBlock-background': '#000000', 'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-green': '#89d185', 'errorForeground': '#f48771', 'sideBar-background': '#000000', 'sideBarSectionHeader-background': '#000000', 'font-family': 'system-ui, sans-serif', 'font-size': '13px' },
};

/** The page's HTML: the host side of the webview, with `nonce` on the only inline script. */
export function panelHtml(origin: string, nonce: string, bodyClass: string): string {
  const vars = JSON.stringify(THEMES[bodyClass] ?? {});
  const csp = `default-src 'none'; style-src ${origin}; img-src ${origin} data:; font-src ${origin}; script-src 'nonce-${nonce}'`;
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${origin}/style.css"></head>
<body class="${bodyClass}"><main id="root"></main>
<script nonce="${nonce}">
for (const [k, v] of Object.entries(${vars})) document.documentElement.style.setProperty('--vscode-' + k, v);
window.__posted = []; window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); let state = JSON.parse(sessionStorage.getItem('state') || 'null');
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => state, setState: (s) => { state = s; sessionStorage.setItem('state', JSON.stringify(s)); } });
</script>
<script nonce="${nonce}" src="${origin}/main.js"></script></body></html>`;
}

/** Serves `dir` and the panel page at `/` on 127.0.0.1; resolves with the origin. */
export function servePanel(dir: string, bodyClass = 'vscode-light'): Promise<{ origin: string; server: Server }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const url = req.url ?? '/';
      if (url === '/' || url.startsWith('/?')) {
        const theme = /[?&]theme=([\w-]+)/.exec(url)?.[1] ?? bodyClass;
        res.writeHead(200, { 'content-type': 'text/html' }).end(panelHtml(origin, 'n0nce', theme));
        return;
      }
      try {
        const body = readFileSync(join(dir, url.replace(/^\/+/, '').replace(/\.\./g, '')));
        res.writeHead(200, { 'content-type': url.endsWith('.css') ? 'text/css' : 'text/javascript' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server }));
  });
}
