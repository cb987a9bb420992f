/**
 * Content detection for dumps whose name says nothing (`node1.txt`): when a
 * plain-text document opens, the core's detectFormat decides, and the document
 * gets the matching language (and with it the grammar, outline and hovers).
 */
import * as vscode from 'vscode';
import { detectFormat, type FormatName } from '../core/parse/text/detect';

/** Language id for each detected format; formats without a language stay plain text. */
export const LANGUAGE_OF_FORMAT: Partial<Record<FormatName, string>> = {
  'iptables-save': 'iptables-save',
  'iptables-S': 'iptables-save',
  'iptables-list': 'iptables-list',
  'route-n': 'route-table',
  'ip-route': 'route-table',
  'azure-route-table': 'route-table',
  'ip-rule': 'route-table',
  'ip-addr': 'ip-addr',
  'ifconfig': 'ip-addr',
  'ip-link': 'ip-addr',
  'resolv-conf': 'resolv-conf',
};

// Detection looks at the beginning; a 46 MB dump is recognisable from its first lines.
const SAMPLE = 64 * 1024;

/** Sets the language of `doc` when it is plain text and its content is a known dump. */
export async function detectLanguage(doc: vscode.TextDocument, log: (m: string) => void): Promise<void> {
  if (doc.languageId !== 'plaintext' || doc.uri.scheme === 'output') return;
  let format: FormatName | undefined;
  try {
    format = detectFormat(doc.getText(new vscode.Range(0, 0, doc.positionAt(SAMPLE).line, 0)) || doc.getText());
  } catch (e) {
    log(`detectFormat failed on ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const lang = format ? LANGUAGE_OF_FORMAT[format] : undefined;
  if (!lang) return;
  await vscode.languages.setTextDocumentLanguage(doc, lang);
  log(`${vscode.workspace.asRelativePath(doc.uri)}: content is ${format}, language set to ${lang}`);
}
