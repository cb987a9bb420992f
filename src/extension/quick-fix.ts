/**
 * Quick fixes for diagnostics whose fix is mechanical (lint's `fixes`: the
 * missing route added to the gateway's table in that table's own format).
 */
import * as vscode from 'vscode';
import { fixKey, quickFixes } from './to-diagnostic';

/** Offers each kube-netsim diagnostic's fixes as quick-fix code actions. */
export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const offered = new Set<string>();
    for (const d of ctx.diagnostics) {
      if (d.source !== 'kube-netsim' || typeof d.code !== 'string') continue;
      for (const fix of quickFixes.get(fixKey(doc.uri, d.range, d.code)) ?? []) {
        // Two diagnostics under the cursor may share a fix: it is listed once.
        const same = JSON.stringify([fix.title, fix.edits.map((e) => [e.uri.toString(), e.range.start.line, e.range.start.character, e.newText])]);
        if (offered.has(same)) continue;
        offered.add(same);
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = true;
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) edit.replace(e.uri, e.range, e.newText);
        action.edit = edit;
        actions.push(action);
      }
    }
    return actions;
  }
}
