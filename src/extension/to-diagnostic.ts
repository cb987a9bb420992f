/** Issues (1-based spans, file relative to a topology) as VS Code diagnostics on the right file. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Issue, IssueFix, Span } from '../core/source';

/** A 1-based span as a 0-based editor range. */
export function rangeOf(s: Span): vscode.Range {
  const start = new vscode.Position(Math.max(0, s.line - 1), Math.max(0, s.column - 1));
  const end = new vscode.Position(Math.max(0, s.endLine - 1), Math.max(0, s.endColumn - 1));
  return new vscode.Range(start, end.isBefore(start) ? start : end);
}

const SEVERITY: Record<Issue['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The file an issue belongs to: `file` relative to `baseDir`, or `fallback` when it names none. */
export function fileOfIssue(file: string | undefined, baseDir: string, fallback: vscode.Uri): vscode.Uri {
  if (!file) return fallback;
  return vscode.Uri.file(path.resolve(baseDir, file));
}

/** Per-code severity overrides from the `kubeNetsim.lint.severity` setting (`off` hides a code). */
export type SeverityOverrides = Record<string, 'error' | 'warning' | 'info' | 'hint' | 'off'>;

const OVERRIDE: Record<Exclude<SeverityOverrides[string], 'off'>, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The current overrides, read from the settings each time a check publishes. */
export function severityOverrides(): SeverityOverrides {
  return vscode.workspace.getConfiguration('kubeNetsim').get<SeverityOverrides>('lint.severity') ?? {};
}

/** A fix resolved to editor coordinates, ready to become a quick-fix code action. */
export interface ResolvedFix {
  title: string;
  edits: { uri: vscode.Uri; range: vscode.Range; newText: string }[];
}

/** Fixes of published diagnostics, by `uri#line:column#code` of the diagnostic they fix. */
export const quickFixes = new Map<string, ResolvedFix[]>();

/** Drops the fixes recorded for `uri`'s diagnostics: a re-check records the current ones, never beside stale ones. */
export function forgetFixes(uri: string): void {
  for (const k of quickFixes.keys()) if (k.startsWith(`${uri}#`)) quickFixes.delete(k);
}

/** The key of a diagnostic in `quickFixes`. */
export function fixKey(uri: vscode.Uri, range: vscode.Range, code: string): string {
  return `${uri.toString()}#${range.start.line}:${range.start.character}#${code}`;
}

function resolveFix(f: IssueFix, baseDir: string, fallback: vscode.Uri): ResolvedFix {
  return {
    title: f.title,
    edits: f.edits.map((e) => ({
      uri: fileOfIssue(e.file, baseDir, fallback),
      range: new vscode.Range(e.line - 1, e.column - 1, e.endLine - 1, e.endColumn - 1),
      newText: e.newText,
    })),
  };
}

/** One issue as a diagnostic; undefined when the settings turn its code off. */
export function toDiagnostic(i: Issue, baseDir: string, fallback: vscode.Uri, overrides: SeverityOverrides = {}): vscode.Diagnostic | undefined {
  const o = overrides[i.code];
  if (o === 'off') return undefined;
  const d = new vscode.Diagnostic(rangeOf(i.span), i.message, o ? OVERRIDE[o] : SEVERITY[i.severity] ?? vscode.DiagnosticSeverity.Warning);
  if (i.fixes?.length) quickFixes.set(fixKey(fallback, d.range, i.code), i.fixes.map((f) => resolveFix(f, baseDir, fallback)));
  d.code = i.code;
  d.source = 'kube-netsim';
  if (i.related?.length) {
    d.relatedInformation = i.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(fileOfIssue(r.file ?? i.file, baseDir, fallback), rangeOf(r.span)), r.message));
  }
  return d;
}
