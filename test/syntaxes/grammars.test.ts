/**
 * The TextMate grammars against their syntax tests (test/syntaxes/cases), run
 * with vscode-tmgrammar-test, the same engine VS Code tokenizes with; plus the
 * package.json declarations that make VS Code find them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GRAMMARS: [file: string, scope: string][] = [
  ['iptables-save.tmLanguage.json', 'source.iptables-save'],
  ['iptables-list.tmLanguage.json', 'source.iptables-list'],
  ['route-table.tmLanguage.json', 'source.route-table'],
  ['ip-addr.tmLanguage.json', 'source.ip-addr'],
  ['resolv-conf.tmLanguage.json', 'source.resolv-conf'],
];
const TOOL = join('node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

function runTool(pattern: string): { status: number | null; out: string } {
  const args = [TOOL, '-c', ...GRAMMARS.flatMap(([f]) => ['-g', join('syntaxes', f)]), pattern];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

void test('each grammar has its scope name and one syntax test file', () => {
  const cases = readdirSync(join('test', 'syntaxes', 'cases'));
  for (const [file, scope] of GRAMMARS) {
    const g = JSON.parse(readFileSync(join('syntaxes', file), 'utf8')) as { scopeName: string };
    assert.equal(g.scopeName, scope, file);
    const mine = cases.filter((c) => readFileSync(join('test', 'syntaxes', 'cases', c), 'utf8').startsWith(`# SYNTAX TEST "${scope}"`));
    assert.equal(mine.length, 1, `${scope} has a syntax test`);
  }
});

void test('every syntax test passes', () => {
  const r = runTool('test/syntaxes/cases/*.syntax-test.txt');
  assert.doesNotMatch(r.out, /ERROR/, r.out);
  assert.equal((r.out.match(/run successfuly/g) ?? []).length, GRAMMARS.length, r.out);
  assert.equal(r.status, 0, r.out);
});

void test('a wrong expectation makes the run fail (the check can fail)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-grammar-'));
  try {
    writeFileSync(join(dir, 'wrong.syntax-test.txt'), '# SYNTAX TEST "source.iptables-save"\n-A KUBE-SERVICES -j DROP\n#                    ^^^^ entity.name.function.chain.iptables-save\n');
    const r = runTool(join(dir, '*.syntax-test.txt'));
    assert.notEqual(r.status, 0);
    assert.match(r.out, /constant\.language\.target\.iptables-save/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('package.json declares every grammar with its language and path', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes?: { grammars?: { scopeName: string; path: string; language?: string }[] } };
  const declared = pkg.contributes?.grammars ?? [];
  for (const [file, scope] of GRAMMARS) {
    const d = declared.find((g) => g.scopeName === scope);
    assert.ok(d, `${scope} declared`);
    assert.equal(d.path, `./syntaxes/${file}`);
    assert.ok(existsSync(d.path), d.path);
  }
});
