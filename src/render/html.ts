/**
 * The smallest HTML string toolkit the trace view needs. Every piece of trace
 * data (hop text comes straight from user files) goes through `esc` before it
 * meets markup, so the same output is safe in the webview's `innerHTML` and in
 * a standalone page.
 */

/** Escapes text for use in element content and double-quoted attribute values. */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Renders attributes from a record; `undefined`/`false` values are left out, `true` gives a bare attribute. */
export function attrs(a: Record<string, string | number | boolean | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === false) continue;
    out += v === true ? ` ${k}` : ` ${k}="${esc(v)}"`;
  }
  return out;
}

/** A probability as people read it: 0.5 → `50%`, 1/3 → `33.3%`. */
export function percent(p: number): string {
  const v = Math.round(p * 1000) / 10;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}
