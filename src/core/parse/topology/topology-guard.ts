/**
 * A parser failure must not take the whole topology down: the loader promises
 * never to throw, and one crashing format parser would otherwise lose every
 * other node's dumps. A crash becomes an `internal-parser-error` issue at the
 * source, and the source reads as empty.
 */
import type { Issue, ParseResult } from '../../source';

/** Runs a parser; on an exception returns `empty` and an error issue naming the parser. */
export function guarded<T>(parser: string, empty: () => T, run: () => ParseResult<T>): ParseResult<T> {
  try {
    return run();
  } catch (e) {
    const message = `${parser} failed on this input (${e instanceof Error ? e.message : String(e)}); it was not read. Please report this input.`;
    const span = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const issue: Issue = { code: 'internal-parser-error', severity: 'error', span, message };
    return { value: empty(), issues: [issue] };
  }
}
