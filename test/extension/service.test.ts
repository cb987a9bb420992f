import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetsimService } from '../../src/extension/service/netsim-service';
import { lineOf } from '../../src/extension/service/hover';
import { tableFromFileName } from '../../src/extension/service/dumps';
import { FIXTURES } from './fixture';

const TOPO = join(FIXTURES, 'mini.netsim.yaml');
const DUMP = join(FIXTURES, 'node-a', 'iptables-save.txt');
const ROUTES = join(FIXTURES, 'node0.route-n.txt');
const make = () => new NetsimService(() => {});

void test('checkTopology: issues carry absolute paths; an overlay error in a referenced dump lands on that dump', () => {
  const s = make();
  const clean = s.handle('checkTopology', { path: TOPO, root: FIXTURES });
  assert.equal(clean.ok, true);
  assert.deepEqual(clean.refs, [DUMP]);
  assert.ok(clean.issues.every((i) => i.path === TOPO || i.path === DUMP));
  assert.ok(!clean.issues.some((i) => i.severity === 'error'));
  const text = readFileSync(DUMP, 'utf8');
  const line = text.split('\n').findIndex((l) => l.startsWith('-A KUBE-SVC-WEB')) + 1;
  s.handle('overlay', { path: DUMP, text: text.replace('-A KUBE-SVC-WEB -m comment', '-A KUBE-SVC-WEB -m nosuchmodule --frobnicate 1 -m comment') });
  const broken = s.handle('checkTopology', { path: TOPO, root: FIXTURES });
  const onDump = broken.issues.filter((i) => i.path === DUMP && i.code.startsWith('iptables-'));
  assert.ok(onDump.length >= 1);
  assert.ok(onDump.every((i) => i.span.line === line), JSON.stringify(onDump.map((i) => [i.code, i.span.line])));
  s.handle('overlay', { path: DUMP, text: null });
  assert.deepEqual(s.handle('checkTopology', { path: TOPO, root: FIXTURES }).issues.filter((i) => i.path === DUMP && i.code.startsWith('iptables-')), []);
});

void test('a {file: …} outside the workspace folder is refused: an error on the topology, nothing read', () => {
  const s = make();
  const text = readFileSync(TOPO, 'utf8').replace('{file: node-a/iptables-save.txt}', '{file: ../../../../../etc/hostname}');
  s.handle('overlay', { path: TOPO, text });
  const r = s.handle('checkTopology', { path: TOPO, root: FIXTURES });
  assert.equal(r.ok, true);
  assert.deepEqual(r.refs, []);
  const line = text.split('\n').findIndex((l) => l.includes('etc/hostname')) + 1;
  assert.ok(r.issues.some((i) => i.path === TOPO && i.severity === 'error' && i.span.line === line), JSON.stringify(r.issues.map((i) => [i.code, i.span.line])));
});

void test('one load per version: repeated checks and hovers do not reload or re-parse', () => {
  const s = make();
  s.handle('checkTopology', { path: TOPO, root: FIXTURES });
  s.handle('checkTopology', { path: TOPO, root: FIXTURES });
  s.handle('checkDump', { path: ROUTES, languageId: 'route-table' });
  s.handle('outline', { path: ROUTES, languageId: 'route-table' });
  assert.deepEqual(s.handle('stats', {}), { dumpParses: 1, topologyLoads: 1 });
  s.handle('overlay', { path: ROUTES, text: readFileSync(ROUTES, 'utf8') + '\n' });
  s.handle('checkDump', { path: ROUTES, languageId: 'route-table' });
  assert.equal(s.handle('stats', {}).dumpParses, 2);
});

void test('hover in a node dump traces from that node; in the topology from the default source', () => {
  const s = make();
  s.handle('checkTopology', { path: TOPO, root: FIXTURES });
  const dumpLines = readFileSync(DUMP, 'utf8').split('\n');
  const l = dumpLines.findIndex((x) => x.includes('--to-destination 10.244.1.3:80'));
  const h = s.handle('hover', { path: DUMP, root: FIXTURES, line: l, character: dumpLines[l].indexOf('10.244.1.3') + 2, languageId: 'iptables-save', defaultSource: '' });
  assert.ok(h);
  assert.equal(dumpLines[l].slice(h.start, h.end), '10.244.1.3');
  assert.match(h.markdown, /^From \*\*node-a\*\* \(this file's host\), tcp\/80 · /m);
  const topoLines = readFileSync(TOPO, 'utf8').split('\n');
  const t = topoLines.findIndex((x) => x.includes('clusterIP: 10.0.0.80'));
  const h2 = s.handle('hover', { path: TOPO, root: FIXTURES, line: t, character: topoLines[t].indexOf('10.0.0.80'), languageId: 'yaml', defaultSource: '' });
  assert.match(h2!.markdown, /^From \*\*default\/client\*\* \(default\), tcp\/80 · /m);
  assert.match(h2!.markdown, /- \*\*100%\*\* delivered to 10\.244\.1\.3:80/);
  // A picked source wins; hovering the source's own address traces nothing.
  const picked = s.handle('hover', { path: TOPO, root: FIXTURES, line: t, character: topoLines[t].indexOf('10.0.0.80'), languageId: 'yaml', defaultSource: '', pickedSource: 'node-b' });
  assert.match(picked!.markdown, /^From \*\*node-b\*\* \(picked\)/m);
  const own = topoLines.findIndex((x) => /name: client/.test(x) || /client/.test(x) && /ip:/.test(x));
  const ownIp = /\d+\.\d+\.\d+\.\d+/.exec(topoLines[own])![0];
  const self = s.handle('hover', { path: TOPO, root: FIXTURES, line: own, character: topoLines[own].indexOf(ownIp) + 1, languageId: 'yaml', defaultSource: '' });
  assert.match(self!.markdown, /This is the address of \*\*default\/client\*\*/);
  assert.ok(!/^- \*\*/m.test(self!.markdown), 'no outcome: the pod is not traced to itself');
  const chain = s.handle('hover', { path: DUMP, root: FIXTURES, line: dumpLines.findIndex((x) => x.startsWith(':KUBE-SVC-WEB')), character: 3, languageId: 'iptables-save', defaultSource: '' });
  assert.match(chain!.markdown.replace(/\\(.)/g, '$1'), /^\*\*KUBE-SVC-WEB\*\* \(table nat\)\n\nService \*\*default\/web\*\*, port 80\/TCP: picks an endpoint \(from the rule comments\)\n\n1 rule\n\njumped to from: KUBE-SERVICES$/);
});

void test('trace, pick items, chainsAt and outline answer with plain data', () => {
  const s = make();
  const a = s.handle('trace', { topology: TOPO, root: FIXTURES, query: { from: 'client', to: '10.0.0.80', protocol: 'tcp', port: 80 } });
  assert.ok(!('error' in a));
  assert.deepEqual(a.result.outcomes.map((o) => [o.disposition, o.delivered?.ip, o.probability]), [['delivered', '10.244.1.3', 1]]);
  assert.deepEqual(a.view.nodes.map((n) => n.id), ['node-a', 'node-b']);
  assert.deepEqual(structuredClone(a), a, 'crosses a worker boundary unchanged');
  const items = s.handle('pickItems', { topology: TOPO, root: FIXTURES });
  assert.deepEqual(items?.destinations[0].value, '10.0.0.80:80');
  const dumpLines = readFileSync(DUMP, 'utf8').split('\n');
  const jl = dumpLines.findIndex((x) => x.includes('-j KUBE-SVC-WEB'));
  const chains = s.handle('chainsAt', { path: DUMP, line: jl, character: dumpLines[jl].indexOf('-j KUBE-SVC-WEB') + 5 });
  assert.deepEqual(chains.map((c) => [c.name, c.declaration?.line]), [['KUBE-SVC-WEB', dumpLines.findIndex((x) => x.startsWith(':KUBE-SVC-WEB'))]]);
  assert.deepEqual(s.handle('outline', { path: DUMP, languageId: 'iptables-save' }).map((t) => t.name), ['nat']);
  assert.equal(s.handle('trace', { topology: join(FIXTURES, 'nope.netsim.yaml'), root: FIXTURES, query: { from: 'a', to: 'b', protocol: 'tcp' } }).constructor, Object);
});

void test('lineOf and tableFromFileName', () => {
  assert.equal(lineOf('a\nbb\r\nccc', 1), 'bb');
  assert.equal(lineOf('a\nbb\r\nccc', 2), 'ccc');
  assert.equal(lineOf('a', 3), undefined);
  const cases: [string, string | undefined][] = [
    ['k8s-agent-0/iptables-nat-L-n-v.txt', 'nat'], ['x.iptables-t-filter-nvL.txt', 'filter'], ['iptables-save.txt', undefined], ['docker-moby.iptables-t-nat-S.txt', 'nat'],
  ];
  for (const [f, want] of cases) assert.equal(tableFromFileName(f), want, f);
});
