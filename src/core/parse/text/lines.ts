/**
 * The lines of a pasted text, one at a time: what every line-oriented parser
 * walks (iptables-save, iptables -S and -L, ipset, nft), without building an
 * array of a 50 MB dump's lines first.
 */
import { type SourceLine, splitLines } from '../../source';

/**
 * Calls `fn` for every line with its 1-based number and start offset. Uses
 * `indexOf('\n')` when the text has no lone `\r`; otherwise the shared splitter.
 */
export function forEachLine(text: string, fn: (line: string, lineNo: number, offset: number) => void): void {
  const cr = text.indexOf('\r');
  if (cr >= 0 && text.charCodeAt(cr + 1) !== 10) {
    for (const l of splitLines(text) as SourceLine[]) fn(l.text, l.line, l.offset);
    return;
  }
  const n = text.length;
  let start = 0;
  let lineNo = 1;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    fn(text.slice(start, stop), lineNo, start);
    start = end + 1;
    lineNo++;
  }
}
