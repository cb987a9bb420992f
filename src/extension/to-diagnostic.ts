/** Issues (1-based spans, file relative to a topology) as VS Code diagnostics on the right file. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Issue, Span } from '../core/source';

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

/** One issue as a diagnostic. */
export function toDiagnostic(i: Issue, baseDir: string, fallback: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(rangeOf(i.span), i.message, SEVERITY[i.severity] ?? vscode.DiagnosticSeverity.Warning);
  d.code = i.code;
  d.source = 'kube-netsim';
  if (i.related?.length) {
    d.relatedInformation = i.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(fileOfIssue(r.file ?? i.file, baseDir, fallback), rangeOf(r.span)), r.message));
  }
  return d;
}
