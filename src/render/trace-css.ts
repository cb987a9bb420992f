/**
 * The trace view's stylesheet, shared by the webview (adopted as a constructed
 * stylesheet, which the webview CSP allows without 'unsafe-inline') and the
 * standalone page (inlined under a hashed CSP). Only `var(--vscode-…)` colours,
 * each with a fallback, so the view follows the editor's light, dark and
 * high-contrast themes and still has colours outside the editor.
 */
import { OUTCOME_COLOURS } from './render-diagram';

/** The outcome palette: VS Code's chart colours, which every theme defines. */
const PALETTE = [
  'var(--vscode-charts-blue, #1a85ff)',
  'var(--vscode-charts-green, #388a34)',
  'var(--vscode-charts-purple, #a15ad9)',
  'var(--vscode-charts-yellow, #b89500)',
  'var(--vscode-charts-orange, #d18616)',
  'var(--vscode-charts-red, #e51400)',
];

const fg = 'var(--vscode-foreground, #3b3b3b)';
const muted = 'var(--vscode-descriptionForeground, #717171)';
const border = 'var(--vscode-panel-border, var(--vscode-widget-border, #c8c8c8))';
const widget = 'var(--vscode-editorWidget-background, #f3f3f3)';
const bg = 'var(--vscode-editor-background, #ffffff)';
const focus = 'var(--vscode-focusBorder, #0078d4)';
const code = 'var(--vscode-textCodeBlock-background, rgba(128,128,128,0.12))';

function outcomeRules(): string {
  const rules: string[] = [];
  for (let k = 0; k < OUTCOME_COLOURS; k++) {
    rules.push(`.oc-${k} { --oc: ${PALETTE[k]}; }`);
  }
  // Hovering an outcome brings its path forward in the diagram; needs :has (Chromium ≥ 105, VS Code ≥ 1.72).
  // The other paths keep their colour (dimmed colours turn muddy on a dark background).
  for (let k = 0; k < 12; k++) {
    rules.push(`.result:has(.outcome[data-outcome="${k}"]:hover) .path[data-outcome="${k}"] .oc-stroke { stroke-width: 5; }`);
  }
  return rules.join('\n');
}

/** The stylesheet text. */
export const TRACE_CSS = `
.trace-view { color: ${fg}; font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); line-height: 1.45; padding: 8px 4px 24px; max-width: 1400px; }
.trace-view h1 { font-size: 1.35em; font-weight: 600; margin: 0 0 8px; }
.trace-view h2 { font-size: 1.15em; font-weight: 600; margin: 0; }
.trace-view code, .hop-line, .hop-packet, .hop-loc { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: var(--vscode-editor-font-size, 12px); }
.muted { color: ${muted}; margin: 2px 0; }
.proto { color: ${muted}; font-weight: normal; font-size: 0.85em; text-transform: uppercase; }
.result { margin: 0 0 28px; }
.result-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; margin-bottom: 8px; }
.result-head .retrace { margin-left: auto; }
.error { border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100); background: var(--vscode-inputValidation-errorBackground, #f2dede); color: var(--vscode-errorForeground, #a1260d); padding: 8px 10px; border-radius: 3px; margin: 8px 0; }
.vscode-dark .error, :is(.vscode-high-contrast, .vscode-high-contrast-light) .error { color: ${fg}; }
.error-text { color: var(--vscode-errorForeground, #a1260d); }
.problems-box, .dns, .leg { display: block; margin: 6px 0; }
details > summary { cursor: pointer; padding: 3px 0; font-weight: 600; }
details > summary:focus-visible { outline: 1px solid ${focus}; outline-offset: 1px; }
.problems { margin: 4px 0; padding-left: 20px; color: var(--vscode-editorWarning-foreground, #bf8803); }
.assumptions { margin: 4px 0; padding-left: 20px; color: ${muted}; font-style: italic; }
.dns-queries { margin: 4px 0; padding-left: 22px; }
.dns-query { margin: 2px 0; }
.dns-trace { margin: 0; padding-left: 18px; color: ${muted}; }
.qtype { color: ${muted}; font-size: 0.85em; }
.answer { font-weight: 600; }
.answer-nxdomain, .answer-nodata, .answer-unknown { color: ${muted}; font-weight: normal; }
.answer-timeout { color: var(--vscode-errorForeground, #a1260d); }
.diagram-wrap { overflow: auto; max-height: 80vh; border: 1px solid ${border}; border-radius: 4px; background: ${bg}; margin: 4px 0 12px; }
.diagram-tools + .diagram-wrap { cursor: grab; }
.diagram-wrap.panning { cursor: grabbing; user-select: none; }
.diagram-wrap:focus-visible { outline: 1px solid ${focus}; outline-offset: 1px; }
.diagram { display: block; margin: 0; font-family: var(--vscode-font-family, system-ui, sans-serif); }
.diagram-tools { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
.diagram-tools .tool { font: inherit; font-size: 12px; min-width: 28px; padding: 2px 8px; color: var(--vscode-button-secondaryForeground, ${fg}); background: var(--vscode-button-secondaryBackground, ${widget}); border: 1px solid var(--vscode-button-border, ${border}); border-radius: 3px; cursor: pointer; }
.diagram-tools .tool:hover { background: var(--vscode-button-secondaryHoverBackground, ${code}); }
.diagram-tools .tool:focus-visible { outline: 1px solid ${focus}; outline-offset: 1px; }
.diagram text { fill: ${fg}; font-size: 12px; }
.diagram .host-name { font-weight: 600; }
.diagram .host-addr, .diagram .bus-label, .diagram .band-label, .diagram .svc-ip, .diagram .bridge-label { fill: ${muted}; font-size: 11px; }
.diagram .band-label { font-weight: 600; text-transform: uppercase; letter-spacing: 0.06em; }
.diagram .box { fill: ${widget}; stroke: ${border}; stroke-width: 1; }
.diagram .box-node { fill: ${bg}; stroke-width: 1.5; }
.diagram .box-pod { fill: ${widget}; }
.diagram .box-router, .diagram .box-host { fill: ${code}; stroke-width: 1.5; }
.diagram .bridge { fill: ${code}; stroke: ${border}; }
.diagram .bus line, .diagram .drop { stroke: ${border}; stroke-width: 3; }
.diagram .drop { stroke-width: 2; }
.diagram .svc-box { fill: ${code}; stroke: ${border}; stroke-dasharray: 4 3; }
.diagram .service-hit .svc-box { stroke: ${focus}; stroke-width: 2; stroke-dasharray: none; }
.diagram .svc-link { fill: none; stroke: ${focus}; stroke-width: 2; stroke-dasharray: 5 4; }
.diagram .oc-stroke { fill: none; stroke: var(--oc); stroke-width: 3; stroke-linejoin: round; stroke-linecap: round; }
.diagram .oc-fill { fill: var(--oc); }
.diagram .stop { stroke-width: 3.5; }
.diagram .reply-stroke { stroke-dasharray: 6 5; stroke-width: 2.5; }
.diagram .prob-text { fill: var(--vscode-editor-background, #ffffff); font-size: 11px; font-weight: 700; }
.outcomes { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 12px; }
.outcome { border: 1px solid ${border}; border-left: 4px solid var(--oc); border-radius: 4px; padding: 8px 10px; background: ${bg}; min-width: 0; }
.outcome-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; margin-bottom: 4px; }
.outcome-title { font-weight: 600; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 6px; background: var(--oc); }
.disposition { flex-basis: 100%; font-weight: 600; }
.outcome.bad .disposition { color: var(--vscode-errorForeground, #a1260d); }
:is(.vscode-high-contrast, .vscode-high-contrast-light) .outcome.bad .disposition { color: ${fg}; text-decoration: underline; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 11px; font-weight: 600; background: var(--vscode-badge-background, #616161); color: var(--vscode-badge-foreground, #f8f8f8); }
.hops { list-style: none; margin: 4px 0; padding: 0; counter-reset: hop; }
.hops > li { counter-increment: hop; }
.hop { position: relative; padding: 4px 6px 4px 30px; border-radius: 3px; border: 1px solid transparent; }
.hop::before { content: counter(hop); position: absolute; left: 4px; top: 5px; width: 20px; text-align: right; color: ${muted}; font-size: 11px; }
.hop.openable { cursor: pointer; }
.hop.openable:hover { background: var(--vscode-list-hoverBackground, rgba(128,128,128,0.1)); }
.hop.openable:focus-visible, .hop.openable:focus { outline: 1px solid ${focus}; outline-offset: -1px; background: var(--vscode-list-focusBackground, rgba(0,120,212,0.1)); }
:is(.vscode-high-contrast, .vscode-high-contrast-light) .hop.openable:hover { border: 1px dashed var(--vscode-contrastActiveBorder, ${focus}); }
.hop-head { display: flex; gap: 8px; align-items: baseline; font-size: 11px; color: ${muted}; }
.hop-kind { text-transform: uppercase; letter-spacing: 0.05em; font-weight: 700; min-width: 44px; }
.kind-rule .hop-kind, .kind-nat .hop-kind { color: var(--vscode-charts-purple, #a15ad9); }
.kind-route .hop-kind { color: var(--vscode-charts-blue, #1a85ff); }
.kind-deliver .hop-kind { color: var(--vscode-charts-green, #388a34); }
.kind-drop .hop-kind { color: var(--vscode-errorForeground, #a1260d); }
.kind-assume .hop-kind { color: var(--vscode-editorWarning-foreground, #bf8803); }
:is(.vscode-high-contrast, .vscode-high-contrast-light) .hop-kind { color: ${fg}; }
.hop-chain { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); }
.hop-text { overflow-wrap: anywhere; }
.hop-packet { margin-left: 8px; color: ${muted}; white-space: nowrap; }
.hop-origin { display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: baseline; margin-top: 2px; min-width: 0; }
.hop-line { flex: 1 1 240px; min-width: 0; background: ${code}; padding: 1px 5px; border-radius: 3px; white-space: pre-wrap; overflow-wrap: anywhere; }
.hop-loc { flex: 0 1 auto; overflow-wrap: anywhere; color: var(--vscode-textLink-foreground, #006ab1); }
.hop.openable:hover .hop-loc { text-decoration: underline; }
:is(.vscode-high-contrast, .vscode-high-contrast-light) .diagram .box, :is(.vscode-high-contrast, .vscode-high-contrast-light) .outcome { stroke: var(--vscode-contrastBorder, ${border}); border-color: var(--vscode-contrastBorder, ${border}); }
:is(.vscode-high-contrast, .vscode-high-contrast-light) .diagram .oc-stroke { stroke-width: 4; }
${outcomeRules()}
`;

/**
 * Colours for the standalone page, where no editor sets the `--vscode-*`
 * variables: VS Code's Light+ and Dark+ values, picked by the reader's
 * colour-scheme preference.
 */
export const PAGE_THEME_CSS = `
:root { color-scheme: light dark; --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #6c6c6c; --vscode-editor-background: #ffffff; --vscode-editorWidget-background: #f3f3f3; --vscode-panel-border: #d0d0d0; --vscode-focusBorder: #005fb8; --vscode-textLink-foreground: #005fb8; --vscode-textCodeBlock-background: #f0f0f0; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-errorForeground: #b01c0c; --vscode-charts-blue: #1a6fd6; --vscode-charts-orange: #c8650a; --vscode-charts-purple: #8a4fc7; --vscode-charts-green: #2f7d32; --vscode-charts-red: #c72e1f; --vscode-charts-yellow: #9a7d00; }
@media (prefers-color-scheme: dark) {
  :root { --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f; --vscode-editorWidget-background: #252526; --vscode-panel-border: #3c3c3c; --vscode-focusBorder: #0078d4; --vscode-textLink-foreground: #4daafc; --vscode-textCodeBlock-background: #2b2b2b; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-errorForeground: #f48771; --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-purple: #b180d7; --vscode-charts-green: #89d185; --vscode-charts-red: #f14c4c; --vscode-charts-yellow: #cca700; }
}
body { margin: 0; padding: 12px 20px; background: var(--vscode-editor-background); }
`;
