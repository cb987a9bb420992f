/**
 * Splits one iptables argument line (`-A KUBE-SVC-X -m comment --comment "a b" -j DROP`)
 * into words the way iptables-restore does: whitespace separates, double quotes
 * group (with `\"` and `\\` escapes), and a quoted word is never an option.
 *
 * This sits in the hot path of a 400k-line kube-proxy dump, so it fills reusable
 * parallel arrays instead of allocating a token object per word, and allocates
 * an unescaped copy only for quoted words that contain a backslash.
 */

/** The words of one line; reused from line to line (read `count` entries only). */
export interface ArgTokens {
  count: number;
  /** Word text, quotes removed and escapes resolved. */
  text: string[];
  /** Offset of the word's first character (its opening quote, if quoted) within the line. */
  start: number[];
  /** Offset one past the word's last character (its closing quote) within the line. */
  end: number[];
  /** Whether the word was quoted (a quoted `-j` is a value, not an option). */
  quoted: boolean[];
  /** Offset of an opening quote that was never closed, or -1. */
  unclosedQuote: number;
}

/** A fresh, empty token buffer. */
export function newArgTokens(): ArgTokens {
  return { count: 0, text: [], start: [], end: [], quoted: [], unclosedQuote: -1 };
}

/** Tokenizes `line[from, line.length)` into `out` (overwriting it). Never throws. */
export function tokenizeArgs(line: string, from: number, out: ArgTokens): ArgTokens {
  const n = line.length;
  let count = 0;
  out.unclosedQuote = -1;
  let i = from;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    if (c === 34 /* " */) {
      i++;
      let escaped = false;
      while (i < n) {
        c = line.charCodeAt(i);
        if (c === 92 /* \ */ && i + 1 < n) {
          escaped = true;
          i += 2;
          continue;
        }
        if (c === 34) break;
        i++;
      }
      const closed = i < n;
      if (!closed) out.unclosedQuote = start;
      const body = line.slice(start + 1, i);
      out.text[count] = escaped ? unescape(body) : body;
      out.quoted[count] = true;
      if (closed) i++;
    } else {
      while (i < n) {
        c = line.charCodeAt(i);
        if (c === 32 || c === 9) break;
        i++;
      }
      out.text[count] = line.slice(start, i);
      out.quoted[count] = false;
    }
    out.start[count] = start;
    out.end[count] = i;
    count++;
  }
  out.count = count;
  return out;
}

/** Resolves `\"` and `\\` (and any other `\x` to `x`), as iptables-restore does inside quotes. */
function unescape(s: string): string {
  let r = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      r += s[i + 1];
      i++;
    } else r += c;
  }
  return r;
}
