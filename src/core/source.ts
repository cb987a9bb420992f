/**
 * Positions, problems and origins: the vocabulary every parser, the model, the
 * simulator and the editor share so that any step can point back at the line of
 * input that caused it.
 *
 * Offsets are UTF-16 code-unit offsets into the text that was parsed (what
 * JavaScript strings index), lines and columns are 1-based, as editors and
 * `file:line:col` messages print them. `end` offsets are exclusive.
 */

/** A range of source text: offsets plus the line/column of both ends. */
export interface Span {
  /** Offset of the first character. */
  start: number;
  /** Offset one past the last character. */
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** 1-based column of `start`. */
  column: number;
  /** 1-based line of `end`. */
  endLine: number;
  /** 1-based column of `end` (exclusive). */
  endColumn: number;
}

/** How bad a problem is; `error` means the input could not be fully used. */
export type Severity = 'error' | 'warning' | 'info';

/** A problem found in the input, as data: a stable kebab-case code, never English-only. */
export interface Issue {
  /** Stable machine-readable code, e.g. `iptables-unknown-match`. Tests assert codes, not messages. */
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** The file the span refers to, when known (set by whoever knows the file: topology loader, CLI). */
  file?: string;
  /** Other places that explain the problem (the other end of an unreachable route, …). */
  related?: { message: string; file?: string; span: Span }[];
  /** Mechanical fixes (a quick fix in the editor): text edits to apply. */
  fixes?: IssueFix[];
}

/** A fix for an Issue: one or more text edits, each replacing a range of a file (an empty range inserts). */
export interface IssueFix {
  /** What the fix does, as the editor's quick-fix title: "Add route 10.244.1.0/24 → 10.240.0.5 to azure-gateway". */
  title: string;
  edits: { file: string; line: number; column: number; endLine: number; endColumn: number; newText: string }[];
}

/** What every parser returns: what it could read, and every problem it saw. Parsers never throw on input. */
export interface ParseResult<T> {
  value: T;
  issues: Issue[];
}

/**
 * Where a parsed element came from, in a form that survives leaving the parser:
 * the file (as the user named it), the span within that file, and the raw text of
 * the line. Trace steps, hovers and diagnostics use this to open the file at the line.
 */
export interface Origin {
  /** File path as given by the user (relative to the topology file's folder when it came from one). */
  file: string;
  /** 1-based line in `file`. */
  line: number;
  /** 1-based column in `file`. */
  column: number;
  endLine?: number;
  endColumn?: number;
  /** The raw text of the element (usually the whole input line). */
  text: string;
}

/**
 * Translates offsets in a text into line/column. Built once per text; lookups
 * are a binary search over line starts.
 */
export class LineCounter {
  /** Offsets at which each line starts; `lineStarts[0] === 0`. */
  readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  /** 1-based line and column of `offset`. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }

  /** A span for `[start, end)`. */
  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = this.position(end);
    return { start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** A span built from a 1-based line, a 1-based column and a length on that line, given the line's start offset. */
export function lineSpan(lineStart: number, line: number, column: number, length: number): Span {
  const start = lineStart + column - 1;
  return { start, end: start + length, line, column, endLine: line, endColumn: column + length };
}

/** A source line with its number and offset; what line-oriented parsers iterate over. */
export interface SourceLine {
  /** The line's text without its terminator (`\r\n`, `\n` or `\r`). */
  text: string;
  /** 1-based line number. */
  line: number;
  /** Offset of the line's first character in the whole text. */
  offset: number;
}

/** Splits text into lines, keeping numbers and offsets; handles `\n`, `\r\n` and lone `\r`. */
export function splitLines(text: string): SourceLine[] {
  const out: SourceLine[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      out.push({ text: text.slice(start, i), line, offset: start });
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
      line++;
    }
  }
  if (start < text.length || text.length === 0) out.push({ text: text.slice(start), line, offset: start });
  return out;
}

/** Span covering a whole source line. */
export function spanOfLine(l: SourceLine): Span {
  return lineSpan(l.offset, l.line, 1, l.text.length);
}

/**
 * Where a piece of text sits inside the file it came from. A dump pasted as a YAML
 * block scalar starts at some line of the topology file and is indented; a `{file: …}`
 * source is the whole file. Parsers produce spans relative to the text they were
 * given; `toFileSpan` maps them to the file.
 */
export interface TextPlacement {
  /** The file the text belongs to. */
  file: string;
  /** 1-based line in `file` of the text's first line. */
  firstLine: number;
  /** Columns added to every line (the block scalar's indentation); 0 for whole files. */
  indent: number;
  /** Offset in `file` of the text's first character (for editors that want offsets). */
  offset: number;
}

/** Maps a span inside a placed text to the span inside its file. */
export function toFileSpan(span: Span, p: TextPlacement): Span {
  return {
    start: span.start + p.offset,
    end: span.end + p.offset,
    line: span.line + p.firstLine - 1,
    column: span.column + p.indent,
    endLine: span.endLine + p.firstLine - 1,
    endColumn: span.endColumn + p.indent,
  };
}

/** The origin of an element whose span is relative to a placed text. */
export function originOf(span: Span, text: string, p: TextPlacement | undefined): Origin {
  const s = p ? toFileSpan(span, p) : span;
  return { file: p?.file ?? '', line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn, text };
}

/** Shorthand for making an issue. */
export function issue(code: string, severity: Severity, span: Span, message: string): Issue {
  return { code, severity, span, message };
}
