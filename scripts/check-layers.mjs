// Checks the direction of imports between folders (run by `npm run lint`).
//
// Builds the import graph of src/ and webview/ from the sources themselves (the
// TypeScript scanner, so `import type`, re-exports and `import()` all count),
// then fails when
//   - an import points from a folder to a folder in a higher layer (scripts/layers.mjs),
//   - a folder holding sources is missing from the layer table, or
//   - the folders import each other in a cycle (any strongly connected set of
//     more than one folder), which would make "lower" meaningless.
// Files inside one folder may still import each other in a circle: the packet
// walk's files do (walk-host → walk-link → walk-host), as ARCHITECTURE.md says.
//
// `node scripts/check-layers.mjs [root]` checks the tree at root (default: the
// repository). Exit code 1 and one line per finding when anything is wrong.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { forbidden, layerOf } from './layers.mjs';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const rel = (p) => relative(root, p).split(sep).join('/');

function sources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The file a relative import names, as the bundler resolves it. */
function resolveImport(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const p of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}

const files = [...sources(join(root, 'src')), ...sources(join(root, 'webview'))];
const problems = [];
/** folder → folder → the first file-level import that makes the edge. */
const edges = new Map();

for (const file of files) {
  const from = dirname(rel(file));
  if (layerOf(from) === undefined) problems.push(`${rel(file)}: folder ${from} is not in scripts/layers.mjs; give it a layer`);
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName: spec } of importedFiles) {
    if (!spec.startsWith('.')) continue;
    const target = resolveImport(file, spec);
    if (!target) {
      problems.push(`${rel(file)}: cannot resolve import '${spec}'`);
      continue;
    }
    const to = dirname(rel(target));
    if (to === from) continue;
    const why = forbidden(from, to);
    if (why) problems.push(`${rel(file)}: imports ${rel(target)}, but ${why}`);
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${rel(file)} → ${rel(target)}`);
  }
}

// Tarjan's strongly connected components over the folder graph.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let next = 0;
function connect(v) {
  index.set(v, next);
  low.set(v, next++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!index.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) {
      low.set(v, Math.min(low.get(v), index.get(w)));
    }
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}
const folders = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].sort();
for (const f of folders) if (!index.has(f)) connect(f);
for (const component of cycles) {
  const inside = new Set(component);
  const why = component.flatMap((f) => [...(edges.get(f) ?? [])].filter(([to]) => inside.has(to)).map(([, e]) => `    ${e}`));
  problems.push(`folders import each other in a cycle: ${component.join(', ')}\n${why.join('\n')}`);
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`check-layers: ${problems.length} problem(s); the layers are in scripts/layers.mjs and ARCHITECTURE.md`);
  process.exit(1);
}
const edgeCount = [...edges.values()].reduce((n, m) => n + m.size, 0);
console.log(`check-layers: ${files.length} files, ${folders.length} folders, ${edgeCount} folder imports, all pointing down, no cycle`);
