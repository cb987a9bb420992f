/**
 * Chains as code: Go to Definition on a chain name jumps to its declaration,
 * Find References lists the rules that jump to it, and the outline shows tables,
 * chains and rules (routes for route tables). The scans run in the service.
 */
import * as vscode from 'vscode';
import type { TextRange } from './logic/chain-index';
import type { OutlineNode, LineSpanRange } from './logic/symbols';
import type { WorkspaceState } from './workspace';
import { builtinTargetPage } from './logic/builtin-targets';

function range(r: TextRange): vscode.Range {
  return new vscode.Range(r.line, r.start, r.line, r.end);
}

async function chainsAt(ws: WorkspaceState, doc: vscode.TextDocument, pos: vscode.Position) {
  await ws.sync(doc);
  return ws.client.request('chainsAt', { path: doc.uri.fsPath, line: pos.line, character: pos.character });
}

/** The scheme of the read-only pages that explain built-in targets. */
export const TARGET_SCHEME = 'kube-netsim-target';

/** Serves `kube-netsim-target:/DNAT.md`: what the built-in target does. */
export class BuiltinTargetPages implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const name = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    return builtinTargetPage(name) ?? `# ${name}\n\nNot a built-in iptables target.\n`;
  }
}

/** Go to Definition for chain names; on a built-in target (ACCEPT, DNAT, MASQUERADE, …), a page saying what it is. */
export class ChainDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly ws: WorkspaceState) {}

  async provideDefinition(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Location[]> {
    const chains = await chainsAt(this.ws, doc, pos);
    const found = chains.filter((c) => c.declaration).map((c) => new vscode.Location(doc.uri, range(c.declaration!)));
    if (found.length) return found;
    const w = doc.getWordRangeAtPosition(pos, /[A-Za-z][A-Za-z0-9_-]*/);
    const name = w && doc.getText(w);
    if (!name || !builtinTargetPage(name)) return [];
    return [new vscode.Location(vscode.Uri.from({ scheme: TARGET_SCHEME, path: `/${name}.md` }), new vscode.Position(0, 0))];
  }
}

/** Find References for chain names: every rule that jumps (or goes) to the chain. */
export class ChainReferenceProvider implements vscode.ReferenceProvider {
  constructor(private readonly ws: WorkspaceState) {}

  async provideReferences(doc: vscode.TextDocument, pos: vscode.Position, ctx: vscode.ReferenceContext): Promise<vscode.Location[]> {
    const out: vscode.Location[] = [];
    for (const c of await chainsAt(this.ws, doc, pos)) {
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
  constructor(private readonly ws: WorkspaceState) {}

  async provideDocumentSymbols(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    if (doc.uri.scheme !== 'file') return [];
    await this.ws.sync(doc);
    const nodes = await this.ws.client.request('outline', { path: doc.uri.fsPath, languageId: doc.languageId });
    return nodes.map(toSymbol);
  }
}
