/**
 * Words of an `iptables -L` row's extension text and a cursor over them, shared
 * by the readers of matches (iptables-list-matches, iptables-list-named) and of
 * target phrases (iptables-list-target).
 */
import type { Option } from '../../model/netfilter';

/** One word of the extension text, with its offsets in the line. */
export interface ExtWord {
  text: string;
  start: number;
  end: number;
  /** `/* … *\/` comment (text is the comment's content). */
  comment: boolean;
  /** A comment or quoted string with no closing `*\/` or `"` on the line (a line cut short). */
  unclosed?: boolean;
}

/** Splits extension text into words; comments and double-quoted strings are single words. */
export function splitExtWords(line: string, from: number): ExtWord[] {
  const out: ExtWord[] = [];
  const n = line.length;
  let i = from;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    if (c === 47 /* / */ && line.charCodeAt(i + 1) === 42 /* * */) {
      // A comment may contain `*` and even `*/`; it ends at the last `*/` followed by a space or the end before the next `/*`.
      let close = line.indexOf('*/', i + 2);
      while (close >= 0 && close + 2 < n && line.charCodeAt(close + 2) !== 32 && line.charCodeAt(close + 2) !== 9) close = line.indexOf('*/', close + 1);
      const end = close < 0 ? n : close + 2;
      const body = line.slice(i + 2, close < 0 ? n : close);
      out.push({ text: body.startsWith(' ') ? body.slice(1, body.endsWith(' ') ? -1 : undefined) : body, start, end, comment: true, ...(close < 0 ? { unclosed: true } : {}) });
      i = end;
      continue;
    }
    if (c === 34 /* " */) {
      const close = line.indexOf('"', i + 1);
      const end = close < 0 ? n : close + 1;
      out.push({ text: line.slice(i + 1, close < 0 ? n : close), start, end, comment: false, ...(close < 0 ? { unclosed: true } : {}) });
      i = end;
      continue;
    }
    while (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    out.push({ text: line.slice(start, i), start, end: i, comment: false });
  }
  return out;
}

/** A cursor over the words, shared by the match and target readers. */
export class ExtCursor {
  i = 0;
  constructor(readonly words: ExtWord[]) {}
  get done(): boolean {
    return this.i >= this.words.length;
  }
  peek(k = 0): string | undefined {
    return this.words[this.i + k]?.text;
  }
  next(): string {
    return this.words[this.i++].text;
  }
  /** Consumes a lone `!` if it is next; returns whether it did. */
  bang(): boolean {
    if (this.peek() === '!') {
      this.i++;
      return true;
    }
    return false;
  }
}

/** An option as iptables-save would print it. */
export const opt = (name: string, values: string[] = [], negated = false): Option => ({ name, values, negated });

/** Strips a leading `!` glued to a value (`!LOCAL`, `dpt:!53`). */
export function unbang(v: string): [string, boolean] {
  return v.startsWith('!') ? [v.slice(1), true] : [v, false];
}
