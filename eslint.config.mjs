// Lint rules that keep the architecture honest: src/core is pure (no editor, no Node
// built-ins), so the CLI, the tests, the webview and a web build can all reuse it;
// and imports point down the layers of scripts/layers.mjs (see ARCHITECTURE.md).
import { posix } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { FOLDERS, forbidden } from './scripts/layers.mjs';

const coreFence = {
  paths: [{ name: 'vscode', message: 'src/core is editor-free: put editor code in src/extension.' }],
  patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'src/core is pure: pass a reader in instead of using Node built-ins.' }],
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One `no-restricted-imports` block per folder of the layer table: the relative
 * specifiers that would reach a folder it may not import (files directly in that
 * folder; a folder's subfolders are folders of their own in the table).
 */
function layerRules(folder) {
  const patterns = FOLDERS.flatMap((to) => {
    const why = to === folder ? undefined : forbidden(folder, to);
    if (!why) return [];
    let rel = posix.relative(folder, to);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return [{ regex: `^${escape(rel)}/[^/]+$`, message: `${why} (scripts/layers.mjs, ARCHITECTURE.md).` }];
  });
  const core = folder === 'src/core' || folder.startsWith('src/core/');
  return {
    files: [`${folder}/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { paths: core ? coreFence.paths : [], patterns: [...(core ? coreFence.patterns : []), ...patterns] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-e2e/**', 'out/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'webview/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'], package: 'node:test' }] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', coreFence],
      'no-console': 'error',
    },
  },
  ...FOLDERS.map(layerRules),
  {
    // The subcommands are loaded by cli.ts; importing it back would make a circle.
    files: ['src/cli/cmd-*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...layerRules('src/cli').rules['no-restricted-imports'][1].patterns,
          { regex: '^\\./cli$', message: 'cli.ts loads the subcommands: take parseFlags from ./flags and oneLine from ./io.' },
        ],
      }],
    },
  },
  {
    files: ['src/core/model/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ClassDeclaration'].map((selector) => ({
        selector,
        message: 'src/core/model holds types (and the kernel\'s fixed defaults) only: put the code in the layer that uses it.',
      }))],
    },
  },
);
