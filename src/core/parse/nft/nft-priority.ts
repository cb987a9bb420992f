/**
 * Base chain priorities by name, as nft(8) defines them ("PRIORITY NAMES"):
 * the bridge family has its own values for the same names.
 */

const STANDARD: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const BRIDGE: Record<string, number> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };

/**
 * The number a priority stands for: `-110`, `dstnat`, `dstnat - 10`,
 * `srcnat + 5`; undefined when the name is not one of the family's.
 */
export function priorityValue(family: string, text: string): number | undefined {
  const m = /^\s*([A-Za-z]+|[-+]?\d+)\s*(?:([-+])\s*(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const names = family === 'bridge' ? BRIDGE : STANDARD;
  const base = /^[-+]?\d+$/.test(m[1]) ? Number(m[1]) : names[m[1]];
  if (base === undefined) return undefined;
  return m[2] ? base + (m[2] === '-' ? -1 : 1) * Number(m[3]) : base;
}
