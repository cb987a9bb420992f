/**
 * scripts/check-layers.mjs on small source trees made for the purpose: it passes
 * a tree whose imports point down, and fails, naming the files, on an import up a
 * layer, on the walk reaching into a parser, on a folder the layer table does not
 * know, and on two folders of one layer importing each other (which no
 * per-folder lint rule can see).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'check-layers.mjs');

/** Runs the check on a tree of `files` (path → text); returns its exit code and output. */
function check(files: Record<string, string>): { code: number | null; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'check-layers-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const r = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const DOWN = {
  'src/core/source.ts': 'export type Span = number;\n',
  'src/core/model/cluster.ts': "import type { Span } from '../source';\nexport type Cluster = { at: Span };\n",
  'src/core/sim/walk.ts': "import type { Cluster } from '../model/cluster';\nexport const walk = (c: Cluster) => c;\n",
  'src/core/dns/resolve.ts': "import { walk } from '../sim/walk';\nexport const resolve = walk;\n",
  'src/core/query/trace.ts': "import { resolve } from '../dns/resolve';\nimport { walk } from '../sim/walk';\nexport const trace = [resolve, walk];\n",
};

test('a tree whose imports all point down passes', () => {
  const r = check(DOWN);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /no cycle/);
});

test('the walk importing the query entry above it fails, and the cycle it closes is named', () => {
  const r = check({ ...DOWN, 'src/core/sim/walk.ts': "import { trace } from '../query/trace';\nexport const walk = trace;\n" });
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /src\/core\/sim\/walk\.ts: imports src\/core\/query\/trace\.ts, but src\/core\/query \(layer 'query'\) is above src\/core\/sim/);
  assert.match(r.out, /cycle: src\/core\/dns, src\/core\/query, src\/core\/sim/);
});

test('an upward import written as import type or import() counts too', () => {
  const typeOnly = check({ ...DOWN, 'src/core/model/cluster.ts': "import type { walk } from '../sim/walk';\nexport type Cluster = typeof walk;\n" });
  assert.equal(typeOnly.code, 1, typeOnly.out);
  assert.match(typeOnly.out, /model\/cluster\.ts: imports src\/core\/sim\/walk\.ts/);
  const dynamic = check({ ...DOWN, 'src/core/dns/resolve.ts': "export const resolve = () => import('../query/trace');\n" });
  assert.equal(dynamic.code, 1, dynamic.out);
  assert.match(dynamic.out, /dns\/resolve\.ts: imports src\/core\/query\/trace\.ts/);
});

test('the walk may not import a parser, though parse/ is below it', () => {
  const r = check({ ...DOWN, 'src/core/parse/routes/parse-ip-route.ts': 'export const parseIpRoute = 1;\n', 'src/core/sim/lookup.ts': "import { parseIpRoute } from '../parse/routes/parse-ip-route';\nexport const x = parseIpRoute;\n" });
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /sim\/lookup\.ts: .*the walk reads the built model only/);
});

test('two folders of one layer importing each other is a cycle', () => {
  const r = check({
    ...DOWN,
    'src/core/parse/iptables/a.ts': "import { b } from '../nft/b';\nexport const a = b;\n",
    'src/core/parse/nft/b.ts': "import { c } from '../iptables/c';\nexport const b = c;\n",
    'src/core/parse/iptables/c.ts': 'export const c = 1;\n',
  });
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /cycle: src\/core\/parse\/iptables, src\/core\/parse\/nft/);
});

test('a folder missing from the layer table fails', () => {
  const r = check({ ...DOWN, 'src/core/misc/helpers.ts': 'export const h = 1;\n' });
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /folder src\/core\/misc is not in scripts\/layers\.mjs/);
});

test('files of one folder may import each other in a circle (the walk does)', () => {
  const r = check({
    ...DOWN,
    'src/core/sim/walk-host.ts': "import { egress } from './walk-link';\nexport const receive = (): unknown => egress;\n",
    'src/core/sim/walk-link.ts': "import { receive } from './walk-host';\nexport const egress = (): unknown => receive;\n",
  });
  assert.equal(r.code, 0, r.out);
});
