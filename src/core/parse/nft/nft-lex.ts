/**
 * The nftables lexer: text → tokens with offsets, line and column. It knows
 * only what separates words in nft's grammar (blanks, newlines, `;`, braces,
 * commas, `@`, quotes, `#` comments and the comparison and bit operators);
 * everything else, addresses, `ip:port`, ranges, prefixes, chain names with `/`,
 * is one word, which the parser reads in context.
 */

/** What a token is. `nl` is a newline (statements end at one, outside braces). */
export type NftTokenKind = 'word' | 'string' | 'punct' | 'nl' | 'comment' | 'eof';

/** One token. `text` is the word, the unescaped string, the punctuation, or the comment without `#`. */
export interface NftToken {
  kind: NftTokenKind;
  text: string;
  start: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
  /** A string with no closing quote before the end of its line. */
  unterminated?: boolean;
}

// Characters that are tokens of their own (or start one: `!=`, `==`, `<=`, `>=`, `<<`, `>>`).
const PUNCT = new Set(['{', '}', ';', ',', '@', '(', ')', '|', '&', '^', '=', '!', '<', '>']);

/** Reads `text` one token at a time; `next()` past the end keeps returning `eof`. */
export class NftLexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(readonly text: string) {}

  /** The next token. */
  next(): NftToken {
    const s = this.text;
    const n = s.length;
    let i = this.pos;
    // Blanks (and other control characters that are not line ends) separate tokens.
    for (;;) {
      if (i >= n) break;
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || (c < 32 && c !== 10 && c !== 13) || c === 0xfeff || c === 0xa0) i++;
      else if (c === 92 && (s.charCodeAt(i + 1) === 10 || s.charCodeAt(i + 1) === 13)) {
        // A backslash before the line end continues the statement (nft -f input).
        i++;
        i = this.newline(i);
      } else break;
    }
    if (i >= n) {
      this.pos = n;
      return this.token('eof', '', n, n);
    }
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) {
      const t = this.token('nl', '\n', i, i + 1);
      this.pos = this.newline(i);
      return t;
    }
    if (c === 35 /* # */) {
      let j = i + 1;
      while (j < n && s.charCodeAt(j) !== 10 && s.charCodeAt(j) !== 13) j++;
      this.pos = j;
      return this.token('comment', s.slice(i + 1, j), i, j);
    }
    if (c === 34 /* " */) return this.string(i);
    const ch = s[i];
    if (PUNCT.has(ch)) {
      const two = s.slice(i, i + 2);
      const len = two === '!=' || two === '==' || two === '<=' || two === '>=' || two === '<<' || two === '>>' ? 2 : 1;
      this.pos = i + len;
      return this.token('punct', s.slice(i, i + len), i, i + len);
    }
    let j = i + 1;
    while (j < n) {
      const d = s.charCodeAt(j);
      if (d <= 32 || d === 34 || d === 35 || d === 0xa0 || PUNCT.has(s[j])) break;
      j++;
    }
    this.pos = j;
    return this.token('word', s.slice(i, j), i, j);
  }

  private token(kind: NftTokenKind, text: string, start: number, end: number): NftToken {
    return { kind, text, start, end, line: this.line, column: start - this.lineStart + 1 };
  }

  /** Steps over the line end at `i` (`\n`, `\r\n` or `\r`) and returns the offset after it. */
  private newline(i: number): number {
    if (this.text.charCodeAt(i) === 13 && this.text.charCodeAt(i + 1) === 10) i++;
    this.line++;
    this.lineStart = i + 1;
    return i + 1;
  }

  /** A quoted string: `\"` and `\\` escapes; it ends at the closing quote or, unterminated, at the line's end. */
  private string(i: number): NftToken {
    const s = this.text;
    let j = i + 1;
    let out = '';
    let from = j;
    for (;;) {
      if (j >= s.length || s.charCodeAt(j) === 10 || s.charCodeAt(j) === 13) {
        this.pos = j;
        const t = this.token('string', out + s.slice(from, j), i, j);
        t.unterminated = true;
        return t;
      }
      const d = s.charCodeAt(j);
      if (d === 92 && j + 1 < s.length && s.charCodeAt(j + 1) !== 10) {
        out += s.slice(from, j) + s[j + 1];
        j += 2;
        from = j;
      } else if (d === 34) {
        this.pos = j + 1;
        return this.token('string', out + s.slice(from, j), i, j + 1);
      } else j++;
    }
  }
}
