/**
 * The connectivity matrix as a self-contained page: a grid with sources as
 * rows and destinations as columns; a cell's colour says whether everything,
 * some ports or nothing is allowed, its tooltip the ports and the policies.
 * No script: the tooltip is the cell's title. Readable in light and dark.
 */
import type { Matrix, MatrixConnection } from '../core/policy/matrix';
import { isAll } from '../core/policy/port-set';
import { esc } from './html';
import { portsText } from './matrix-words';

const CSS = `
:root { color-scheme: light dark; --all: #2e7d32; --some: #f9a825; --none: #e0e0e0; --fg: #1f1f1f; --bg: #ffffff; --line: #c8c8c8; }
@media (prefers-color-scheme: dark) { :root { --all: #66bb6a; --some: #fdd835; --none: #3a3a3a; --fg: #e8e8e8; --bg: #1e1e1e; --line: #555; } }
body { font: 13px system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 16px; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 0; }
th { font-weight: 500; padding: 2px 6px; text-align: left; white-space: nowrap; }
thead th { writing-mode: vertical-rl; transform: rotate(180deg); vertical-align: bottom; }
td { width: 18px; height: 18px; text-align: center; }
td.all { background: var(--all); } td.some { background: var(--some); } td.none { background: var(--none); }
td.self { background: repeating-linear-gradient(45deg, var(--none), var(--none) 3px, var(--bg) 3px, var(--bg) 6px); }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; border: 1px solid var(--line); }
`;

function cell(c: MatrixConnection | undefined, src: string, dst: string): string {
  if (!c) return `<td class="none" title="${esc(`${src} → ${dst}: nothing allowed`)}"></td>`;
  const cls = isAll(c.allowed) ? 'all' : 'some';
  const title = `${src} → ${dst}: ${portsText(c.allowed)}${c.policies.length ? `\nallowed by: ${c.policies.join(', ')}` : '\nno policy isolates either end'}`;
  return `<td class="${cls}" title="${esc(title)}"></td>`;
}

/** The whole page. */
export function renderMatrixHtml(m: Matrix, title: string): string {
  const byPair = new Map(m.connections.map((c) => [`${c.src}\u0000${c.dst}`, c]));
  const ids = m.endpoints.map((e) => e.id);
  const head = `<tr><th>from \\ to</th>${ids.map((d) => `<th scope="col">${esc(d)}</th>`).join('')}</tr>`;
  const rows = ids.map((s) => `<tr><th scope="row">${esc(s)}</th>${ids.map((d) => (s === d ? `<td class="self" title="${esc(`${s}: itself`)}"></td>` : cell(byPair.get(`${s}\u0000${d}`), s, d))).join('')}</tr>`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="legend">rows send, columns receive:<span style="background:var(--all)"></span>all allowed<span style="background:var(--some)"></span>some ports<span style="background:var(--none)"></span>nothing</p>
<table><thead>${head}</thead><tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}
