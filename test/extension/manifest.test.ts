import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean } };
  contributes: {
    languages: { id: string; filenamePatterns?: string[] }[];
    grammars: { language: string; scopeName: string; path: string }[];
    commands: { command: string }[];
    yamlValidation: { fileMatch: string[]; url: string }[];
  };
};

void test('every contributed language has a grammar file whose scopeName matches', () => {
  const ids = pkg.contributes.languages.map((l) => l.id);
  assert.deepEqual(ids, ['iptables-save', 'iptables-list', 'route-table', 'ip-addr', 'resolv-conf']);
  for (const id of ids) {
    const g = pkg.contributes.grammars.find((x) => x.language === id);
    assert.ok(g, id);
    assert.equal(g.scopeName, `source.${id}`);
    assert.equal(g.path, `./syntaxes/${id}.tmLanguage.json`);
    const file = join(ROOT, g.path);
    assert.ok(existsSync(file), `${g.path} exists`);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { scopeName: string }).scopeName, g.scopeName);
  }
});

void test('activation: no *, the topology trigger, every language and command', () => {
  const ev = pkg.activationEvents;
  assert.ok(!ev.includes('*'));
  assert.ok(ev.includes('workspaceContains:**/*.netsim.yaml'));
  for (const l of pkg.contributes.languages) assert.ok(ev.includes(`onLanguage:${l.id}`), l.id);
  for (const c of pkg.contributes.commands) assert.ok(ev.includes(`onCommand:${c.command}`), c.command);
  assert.ok(ev.includes('onWebviewPanel:kubeNetsim.trace'));
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  assert.equal(pkg.main, './dist/extension.js');
});

void test('topology files are validated against the committed schema', () => {
  const v = pkg.contributes.yamlValidation[0];
  assert.deepEqual(v.fileMatch, ['*.netsim.yaml']);
  assert.ok(existsSync(join(ROOT, v.url)), v.url);
});

void test('the .vsix allowlist keeps what the extension loads at run time', () => {
  const lines = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  for (const need of ['!dist/extension.js', '!dist/netsim-worker.js', '!dist/webview/*.js', '!dist/webview/*.css', '!syntaxes/*.tmLanguage.json', '!schemas/*.json', '!LICENSE']) assert.ok(lines.includes(need), need);
});
