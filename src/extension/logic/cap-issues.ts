/**
 * A bound on diagnostics per file. A 400k-line dump that disagrees with its
 * topology on every Service would otherwise ship tens of thousands of problems
 * to the editor, which helps nobody and stalls the extension host; the worst
 * ones are kept and one note says how many were left out.
 */
import type { Issue, Severity } from '../../core/source';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Keeps at most `max` issues per `fileOf` key, errors first, in text order; adds an `issues-truncated` note where it cut. */
export function capIssues<T extends Issue>(issues: readonly T[], max: number, fileOf: (i: T) => string, note: (file: string, first: T, dropped: number) => T): T[] {
  const byFile = new Map<string, T[]>();
  for (const i of issues) {
    const k = fileOf(i);
    if (!byFile.has(k)) byFile.set(k, []);
    byFile.get(k)!.push(i);
  }
  const out: T[] = [];
  for (const [file, list] of byFile) {
    if (list.length <= max) { out.push(...list); continue; }
    const kept = [...list].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.span.start - b.span.start).slice(0, max);
    kept.sort((a, b) => a.span.start - b.span.start);
    out.push(...kept, note(file, kept[0], list.length - max));
  }
  return out;
}

/** The note added where issues were left out, placed on the first kept issue's line. */
export function truncationNote(first: Issue, dropped: number): Issue {
  return { code: 'issues-truncated', severity: 'info', span: first.span, message: `${dropped} more problems in this file are not shown (kube-netsim lint prints them all)` };
}
