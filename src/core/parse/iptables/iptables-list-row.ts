/**
 * One rule row of an `iptables -L` listing, split into its columns:
 * `[num] [pkts bytes] [target] prot opt [in out] source destination [extension…]`.
 * Column positions are not fixed (long chain names push them right, pasted text
 * loses the padding), so the row is read by words: the `opt` column (`--`, `-f`,
 * `!f`) anchors it, since no other column can hold those words.
 */
import type { Counters } from '../../model/netfilter';

/** What the column header (or the row itself) says the listing shows. */
export interface ListLayout {
  /** `--line-numbers`: a `num` column first. */
  lineNumbers?: boolean;
  /** `-v`: `pkts bytes` first and `in out` after `opt`. */
  verbose?: boolean;
}

/** A word of the row with its offsets in the line. */
export interface RowWord {
  text: string;
  start: number;
  end: number;
}

/** The columns of a row, as words (absent columns undefined). */
export interface ListRow {
  num?: RowWord;
  pkts?: RowWord;
  bytes?: RowWord;
  target?: RowWord;
  prot: RowWord;
  opt: RowWord;
  in?: RowWord;
  out?: RowWord;
  source: RowWord;
  destination: RowWord;
  /** Offset in the line where the extension text starts (the line's length when there is none). */
  extStart: number;
  verbose: boolean;
}

function words(line: string, max: number): RowWord[] {
  const out: RowWord[] = [];
  let i = 0;
  const n = line.length;
  while (i < n && out.length < max) {
    while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

const COUNT = /^\d+[KMGTP]?$/;
const isOpt = (w: string) => w === '--' || w === '-f' || w === '!f';

/** Splits a rule row into columns; undefined when the line is not a row (no `opt` column where one must be). */
export function splitListRow(line: string, layout: ListLayout): ListRow | undefined {
  const ws = words(line, 12);
  // The opt column is at most the 6th word: num pkts bytes target prot opt.
  let o = -1;
  for (let k = 1; k < Math.min(ws.length, 6); k++) {
    if (isOpt(ws[k].text)) {
      o = k;
      break;
    }
  }
  if (o < 1) return undefined;
  const lead = ws.slice(0, o - 1);
  const row: Partial<ListRow> = { prot: ws[o - 1], opt: ws[o] };
  let k = 0;
  let numeric = 0;
  while (numeric < lead.length && COUNT.test(lead[numeric].text)) numeric++;
  if (lead.length - numeric > 1) return undefined;
  if (numeric < lead.length) row.target = lead[lead.length - 1];
  const hasNum = layout.lineNumbers ?? (numeric === 1 || numeric === 3);
  if (hasNum) {
    if (numeric < 1 || !/^\d+$/.test(lead[0].text)) return undefined;
    row.num = lead[k++];
  }
  const counters = numeric - k;
  if (counters === 2) {
    row.pkts = lead[k++];
    row.bytes = lead[k++];
  } else if (counters !== 0) return undefined;
  const verbose = layout.verbose ?? counters === 2;
  let p = o + 1;
  if (verbose) {
    row.in = ws[p++];
    row.out = ws[p++];
  }
  row.source = ws[p++];
  row.destination = ws[p++];
  if (!row.source || !row.destination || (verbose && (!row.in || !row.out))) return undefined;
  row.extStart = p < ws.length ? ws[p].start : line.length;
  row.verbose = verbose;
  return row as ListRow;
}

/** `535K` → 535000: iptables -L without `-x` rounds counters to K/M/G/T (powers of 1000). */
export function listCount(s: string): number {
  const last = s.charCodeAt(s.length - 1);
  if (last >= 48 && last <= 57) return Number(s);
  const unit = { K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 }[s[s.length - 1]] ?? NaN;
  return Number(s.slice(0, -1)) * unit;
}

/** The row's counters, when the listing has them. */
export function rowCounters(r: ListRow): Counters | undefined {
  if (!r.pkts || !r.bytes) return undefined;
  return { packets: listCount(r.pkts.text), bytes: listCount(r.bytes.text) };
}
