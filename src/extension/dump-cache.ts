/**
 * Parsed standalone dumps (a `route -n` file opened on its own), one parse per
 * document version: hovers, the outline and diagnostics all ask for the same
 * version and share the parse.
 */
import * as vscode from 'vscode';
import { parseAs, type AnyParse } from '../core/parse/parse-any';
import { detectFormat, type FormatName } from '../core/parse/detect';

/** Language ids of dumps, and the format assumed when the content does not say. */
export const DUMP_LANGUAGES: Readonly<Record<string, FormatName | undefined>> = {
  'iptables-save': 'iptables-save',
  'iptables-list': 'iptables-list',
  'route-table': undefined,
  'ip-addr': undefined,
  'resolv-conf': 'resolv-conf',
};

/** Whether a document is one of the dump languages. */
export function isDump(doc: vscode.TextDocument): boolean {
  return doc.languageId in DUMP_LANGUAGES;
}

/** Cache of parses keyed by document URI, valid for one version. */
export class DumpCache {
  private readonly cache = new Map<string, { version: number; parse: AnyParse }>();
  /** How many parses ran (tests and the output channel check that unchanged versions are not re-parsed). */
  parses = 0;

  /** The parse of `doc` at its current version. */
  get(doc: vscode.TextDocument): AnyParse {
    const k = doc.uri.toString();
    const hit = this.cache.get(k);
    if (hit && hit.version === doc.version) return hit.parse;
    const text = doc.getText();
    const format = detectFormat(text) ?? DUMP_LANGUAGES[doc.languageId] ?? 'auto';
    let parse: AnyParse;
    try {
      parse = parseAs(format, text);
    } catch (e) {
      // Parsers promise never to throw; if one does, say so on line 1 instead of losing every feature.
      parse = { format: 'unknown', value: undefined, summary: {}, issues: [{ code: 'internal-parser-error', severity: 'error', message: `parser failed: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } }] };
    }
    this.parses++;
    this.cache.set(k, { version: doc.version, parse });
    return parse;
  }

  /** Drops a closed document. */
  delete(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}
