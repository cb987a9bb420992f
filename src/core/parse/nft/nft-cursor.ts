/**
 * The parser's view of the token stream: the current token, one token of
 * lookahead, spans and issues. Comments are stepped over here; the last one
 * seen is kept, because `nft -a` prints a handle as `# handle 7` after what it
 * belongs to, and iptables-nft marks its tables with a `# Warning:` line.
 */
import type { Issue, Severity, Span } from '../../source';
import { NftLexer, type NftToken } from './nft-lex';

/** Parser state over one text. */
export class NftCursor {
  tok: NftToken;
  /** The last token stepped over (not a comment). */
  prev: NftToken;
  /** The last comment stepped over. */
  lastComment: NftToken | undefined;
  /** Tables iptables-nft says it manages (`# Warning: table ip nat is managed by iptables-nft, do not touch!`). */
  readonly iptablesNftTables = new Set<string>();
  readonly issues: Issue[] = [];
  private ahead: NftToken | undefined;
  private readonly lexer: NftLexer;

  constructor(readonly text: string) {
    this.lexer = new NftLexer(text);
    this.tok = this.pull();
    this.prev = this.tok;
  }

  /** Steps to the next token and returns the one stepped over. */
  advance(): NftToken {
    const t = this.tok;
    this.prev = t;
    if (this.ahead) {
      this.tok = this.ahead;
      this.ahead = undefined;
    } else this.tok = this.pull();
    return t;
  }

  /** The token after the current one. */
  peek(): NftToken {
    this.ahead ??= this.pull();
    return this.ahead;
  }

  /** The current token is the word `w` (or any word when `w` is omitted). */
  isWord(w?: string): boolean {
    return this.tok.kind === 'word' && (w === undefined || this.tok.text === w);
  }

  /** The current token is the punctuation `p`. */
  isPunct(p: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === p;
  }

  /** Steps over the word `w` if it is current. */
  eatWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.advance();
    return true;
  }

  /** Steps over the punctuation `p` if it is current. */
  eatPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.advance();
    return true;
  }

  /** At the end of a statement: a newline, `;`, `}` or the end of the text. */
  atStatementEnd(): boolean {
    const t = this.tok;
    return t.kind === 'nl' || t.kind === 'eof' || (t.kind === 'punct' && (t.text === ';' || t.text === '}'));
  }

  /** Steps over newlines and `;`. */
  skipSeparators(): void {
    while (this.tok.kind === 'nl' || this.isPunct(';')) this.advance();
  }

  /** Steps over newlines only (inside braces, where a newline ends nothing). */
  skipNewlines(): void {
    while (this.tok.kind === 'nl') this.advance();
  }

  /** Steps to the end of the statement, over any braces it opens (a `{` never closed stops at the end of the text). */
  skipStatement(): void {
    let depth = 0;
    while (this.tok.kind !== 'eof') {
      if (depth === 0 && this.atStatementEnd()) return;
      if (this.isPunct('{')) depth++;
      else if (this.isPunct('}')) depth--;
      this.advance();
    }
  }

  /** A word or a quoted string as a name (chain, set, table); undefined, with an issue, when there is none. */
  name(what: string): string | undefined {
    if (this.tok.kind === 'word' || this.tok.kind === 'string') return this.advance().text;
    this.error('nft-expected-name', this.tok, `expected ${what} here`);
    return undefined;
  }

  /** The span from the start of `a` to the end of `b`. */
  span(a: NftToken, b: NftToken = a): Span {
    const endColumn = b.line === a.line ? a.column + (b.end - a.start) : b.column + (b.end - b.start);
    return { start: a.start, end: b.end, line: a.line, column: a.column, endLine: b.line, endColumn };
  }

  /** The text between two tokens, inclusive. */
  textOf(a: NftToken, b: NftToken): string {
    return this.text.slice(a.start, Math.max(a.start, b.end));
  }

  /** Records an issue over the tokens `a`…`b`. */
  report(code: string, severity: Severity, a: NftToken, message: string, b: NftToken = a): void {
    this.issues.push({ code, severity, span: this.span(a, b), message });
  }

  /** Records an error at a token. */
  error(code: string, t: NftToken, message: string): void {
    this.report(code, 'error', t, message);
  }

  /** The handle `nft -a` printed after the last token stepped over, on the same line (`… # handle 7`). */
  handleAfter(last: NftToken): number | undefined {
    const c = this.lastComment;
    if (!c || c.line !== last.line || c.start < last.end) return undefined;
    const m = /^\s*handle\s+(\d+)\s*$/.exec(c.text);
    return m ? Number(m[1]) : undefined;
  }

  private pull(): NftToken {
    for (;;) {
      const t = this.lexer.next();
      if (t.kind !== 'comment') return t;
      this.lastComment = t;
      const warn = /table\s+(\S+)\s+(\S+)\s+is managed by iptables-nft/.exec(t.text);
      if (warn) this.iptablesNftTables.add(`${warn[1]} ${warn[2]}`);
    }
  }
}
