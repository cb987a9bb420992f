/**
 * The package as a user gets it: `npm pack` carries the bundled command and the
 * extension's assets but no sources or tests, and `npm install -g` of the tarball
 * (into a throwaway prefix, with no devDependencies anywhere) gives a
 * `kube-netsim` that traces the bundled example copied somewhere else.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let tmp = '';
let tarball = '';
let files: string[] = [];

before(() => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  tmp = mkdtempSync(join(tmpdir(), 'netsim-pack-'));
  // --ignore-scripts: the build above is the one packed (prepare would rebuild the same).
  const p = spawnSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  const [info] = JSON.parse(p.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp, info.filename);
  files = info.files.map((f) => f.path);
});

void test('npm pack: the bundled command, extension, schema, grammars and README; no sources, tests or source maps', () => {
  for (const need of ['bin/kube-netsim.js', 'dist/cli.js', 'dist/extension.js', 'dist/netsim-worker.js', 'dist/webview/main.js',
    'schemas/topology.schema.json', 'syntaxes/iptables-save.tmLanguage.json', 'README.md', 'LICENSE', 'package.json', 'docs/cli.md', 'docs/topology.md']) {
    assert.ok(files.includes(need), `${need} is not in the package`);
  }
  const unwanted = files.filter((f) => /^(?:src|test|scripts|webview|\.ci)\//.test(f) || f.endsWith('.map') || f.endsWith('.vsix') || f.endsWith('.ts'));
  assert.deepEqual(unwanted, []);
});

void test('npm install -g of the tarball: kube-netsim traces the example from another folder, with no dependencies installed', () => {
  const prefix = join(tmp, 'prefix');
  const i = spawnSync(NPM, ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8' });
  assert.equal(i.status, 0, i.stderr);
  const installed = join(prefix, 'lib', 'node_modules', 'kube-netsim');
  assert.ok(existsSync(join(installed, 'dist', 'cli.js')));
  // Everything the command needs is bundled: nothing was installed beside it.
  assert.ok(!existsSync(join(installed, 'node_modules')) || readdirSync(join(installed, 'node_modules')).length === 0);

  const work = join(tmp, 'elsewhere');
  cpSync(join(ROOT, 'examples', 'azure-kubenet'), work, { recursive: true });
  const bin = join(prefix, 'bin', 'kube-netsim');
  const r = spawnSync(bin, ['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', '10.0.0.10:53', '--proto', 'udp', '--json'], { cwd: work, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { outcomes: { probability: number; disposition: string; delivered?: { ip: string } }[] };
  assert.deepEqual(j.outcomes.map((o) => [o.probability, o.disposition, o.delivered?.ip]).sort(), [[0.5, 'delivered', '10.244.0.2'], [0.5, 'delivered', '10.244.1.2']]);
  const usage = spawnSync(bin, [], { encoding: 'utf8' });
  assert.match(usage.stderr + usage.stdout, /kube-netsim trace/);
});

after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });
