/**
 * Chains as code: Go to Definition on a chain name jumps to its declaration,
 * Find References lists the rules that jump to it, and the outline shows tables,
 * chains and rules (routes for route tables).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { indexChains, chainsNamed, type ChainIndex, type TextRange } from './logic/chain-index';
import { wordAt } from './logic/ip-at';
import { chainOutline, routeOutline, type OutlineNode, type LineSpanRange } from './logic/symbols';
import type { DumpCache } from './dump-cache';
import type { RouteDump } from '../core/parse/route-model';

/** Languages whose documents hold iptables rules. */
export const IPTABLES_LANGUAGES = ['iptables-save', 'iptables-list'];

const indexes = new Map<string, { version: number; index: ChainIndex }>();

/** The table a listing file holds, from its name (`…iptables-t-nat-L-n-v.txt` → nat). */
export function tableFromFileName(p: string): string | undefined {
  return /(?:^|[-_.\s])t[-_.]?(nat|filter|mangle|raw|security)(?:[-_.]|$)/.exec(path.basename(p))?.[1];
}

/** The chain index of an iptables document, one scan per version. */
export function chainIndexOf(doc: vscode.TextDocument): ChainIndex {
  const k = doc.uri.toString();
  const hit = indexes.get(k);
  if (hit && hit.version === doc.version) return hit.index;
  const index = indexChains(doc.getText(), tableFromFileName(doc.uri.fsPath));
  indexes.set(k, { version: doc.version, index });
  return index;
}

/** Forgets a closed document's index. */
export function forgetChainIndex(uri: vscode.Uri): void {
  indexes.delete(uri.toString());
}

function range(r: TextRange): vscode.Range {
  return new vscode.Range(r.line, r.start, r.line, r.end);
}

function chainsAt(doc: vscode.TextDocument, pos: vscode.Position) {
  const w = wordAt(doc.lineAt(pos.line).text, pos.character);
  if (!w) return [];
  return chainsNamed(chainIndexOf(doc), w.text);
}

/** Go to Definition for chain names. */
export class ChainDefinitionProvider implements vscode.DefinitionProvider {
  provideDefinition(doc: vscode.TextDocument, pos: vscode.Position): vscode.Location[] {
    return chainsAt(doc, pos).filter((c) => c.declaration).map((c) => new vscode.Location(doc.uri, range(c.declaration!)));
  }
}

/** Find References for chain names: every rule that jumps (or goes) to the chain. */
export class ChainReferenceProvider implements vscode.ReferenceProvider {
  provideReferences(doc: vscode.TextDocument, pos: vscode.Position, ctx: vscode.ReferenceContext): vscode.Location[] {
    const out: vscode.Location[] = [];
    for (const c of chainsAt(doc, pos)) {
      if (ctx.includeDeclaration && c.declaration) out.push(new vscode.Location(doc.uri, range(c.declaration)));
      for (const j of c.jumpedFrom) out.push(new vscode.Location(doc.uri, range(j.range)));
    }
    return out;
  }
}

const KIND: Record<OutlineNode['kind'], vscode.SymbolKind> = {
  table: vscode.SymbolKind.Namespace,
  chain: vscode.SymbolKind.Function,
  rule: vscode.SymbolKind.Field,
  route: vscode.SymbolKind.Field,
};

function r(x: LineSpanRange): vscode.Range {
  return new vscode.Range(x.startLine, x.startCharacter, x.endLine, x.endCharacter);
}

function toSymbol(n: OutlineNode): vscode.DocumentSymbol {
  const s = new vscode.DocumentSymbol(n.name || '(empty)', n.detail, KIND[n.kind], r(n.range), r(n.selection));
  s.children = n.children.map(toSymbol);
  return s;
}

/** Outline and breadcrumbs for iptables dumps (tables, chains, rules) and route tables (routes). */
export class DumpSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly dumps: DumpCache) {}

  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    if (IPTABLES_LANGUAGES.includes(doc.languageId)) return chainOutline(chainIndexOf(doc)).map(toSymbol);
    if (doc.languageId === 'route-table') {
      const parse = this.dumps.get(doc);
      const v = parse.value as RouteDump | undefined;
      if (v && Array.isArray(v.routes)) return routeOutline(v.routes).map(toSymbol);
    }
    return [];
  }
}
