/**
 * Whitespace-separated words of one source line, each with its span, so a
 * parser can point an issue at the exact token it could not read
 * (`10.0.0.0/33` in `10.0.0.0/33 dev eth0`) instead of at the whole line.
 */
import { type Issue, type SourceLine, type Span, lineSpan } from '../../source';

/** One word of a line: its text, 1-based column and span in the whole text. */
export interface Word {
  text: string;
  column: number;
  span: Span;
}

/** Splits a line on runs of spaces and tabs. */
export function wordsOf(l: SourceLine): Word[] {
  const out: Word[] = [];
  const re = /[^ \t]+/g;
  for (let m = re.exec(l.text); m; m = re.exec(l.text)) {
    out.push({ text: m[0], column: m.index + 1, span: lineSpan(l.offset, l.line, m.index + 1, m[0].length) });
  }
  return out;
}

/** Span from the start of word `a` to the end of word `b` (same line). */
export function spanOfWords(a: Word, b: Word): Span {
  return { ...a.span, end: b.span.end, endLine: b.span.endLine, endColumn: b.span.endColumn };
}

/** Span covering a line without its leading and trailing blanks (a whole line when it is blank). */
export function trimmedSpan(l: SourceLine): Span {
  const lead = l.text.length - l.text.trimStart().length;
  const len = l.text.trim().length;
  return lineSpan(l.offset, l.line, lead + 1, len);
}

/**
 * Pushes an issue, or stretches the previous one when it has the same code and
 * ends on the line before: a block of twenty lines of another command's output
 * is one note, not twenty.
 */
export function pushRun(issues: Issue[], i: Issue): void {
  const last = issues[issues.length - 1];
  if (last && last.code === i.code && last.span.endLine === i.span.line - 1) {
    last.span = { ...last.span, end: i.span.end, endLine: i.span.endLine, endColumn: i.span.endColumn };
    return;
  }
  issues.push(i);
}
