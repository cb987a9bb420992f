import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { capIssues, truncationNote } from '../../src/extension/logic/cap-issues';
import type { Issue, Severity } from '../../src/core/source';
import { lineSpan } from '../../src/core/source';

const mk = (line: number, severity: Severity, file: string): Issue & { path: string } => ({ code: `c-${severity}`, severity, message: '', span: lineSpan(line * 10, line, 1, 5), file, path: file });

void test('keeps errors before warnings before infos, per file, in text order, with one note per cut file', () => {
  const issues = [mk(1, 'info', 'a'), mk(2, 'warning', 'a'), mk(3, 'error', 'a'), mk(4, 'info', 'a'), mk(5, 'error', 'a'), mk(1, 'info', 'b')];
  const out = capIssues(issues, 3, (i) => i.path, (file, first, n) => ({ ...truncationNote(first, n), path: file }));
  assert.deepEqual(out.map((i) => [i.path, i.code, i.span.line]), [
    ['a', 'c-warning', 2], ['a', 'c-error', 3], ['a', 'c-error', 5], ['a', 'issues-truncated', 2], ['b', 'c-info', 1],
  ]);
  assert.match(out[3].message, /^2 more problems/);
  assert.deepEqual(capIssues(issues, 10, (i) => i.path, () => { throw new Error('no note when nothing is cut'); }), issues);
});
