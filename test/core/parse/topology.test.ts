/**
 * The topology reader: diagnostics land on the offending YAML node (codes and
 * spans, not messages), sources keep their placement, file references stay
 * inside the topology's folder, inline route lists become routes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTopology } from '../../../src/core/parse/topology/parse-topology';
import type { FileReader } from '../../../src/core/model/topology';
import { parseIPv4 } from '../../../src/core/net/ipv4';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from '../../fixtures/dirs';

/** A reader over an in-memory folder. */
function memReader(files: Record<string, string>): FileReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    read(path: string) {
      asked.push(path);
      return path in files ? { text: files[path] } : { error: 'no such file' };
    },
  };
}

const HEAD = 'apiVersion: kube-netsim/v1\nkind: Cluster\nmetadata: {name: t}\nspec:\n';
const parse = (body: string, files: Record<string, string> = {}) => parseTopology(HEAD + body, 'topo/c.netsim.yaml', memReader(files));
/** Issues as [code, line, column] (lines counted in the whole file: HEAD is 4 lines). */
const where = (r: ReturnType<typeof parse>) => r.issues.map((i) => [i.code, i.span.line, i.span.column] as const);

void test('diagnostics point at the offending YAML node', async (t) => {
  const cases: { name: string; body: string; want: [string, number, number][] }[] = [
    { name: 'unknown field (warning at the key)', body: '  nodes:\n    - name: n0\n      ip: 10.0.0.4\n      colour: red\n', want: [['topology-unknown-field', 8, 7]] },
    { name: 'bad node ip', body: '  nodes:\n    - name: n0\n      ip: 10.0.0.300\n', want: [['topology-bad-ip', 7, 11]] },
    { name: 'bad CIDR', body: '  clusterCIDR: 10.244.0.0/33\n', want: [['topology-bad-cidr', 5, 16]] },
    { name: 'CIDR with host bits', body: '  serviceCIDR: 10.0.0.1/16\n', want: [['topology-cidr-host-bits', 5, 16]] },
    { name: 'pod on an unknown node', body: '  pods:\n    - {name: p, node: ghost, ip: 10.244.0.5}\n', want: [['topology-unknown-node', 6, 23]] },
    { name: 'duplicate node name', body: '  nodes:\n    - {name: n0, ip: 10.0.0.4}\n    - {name: n0, ip: 10.0.0.5}\n', want: [['topology-duplicate-name', 7, 14]] },
    { name: 'router and node share a name', body: '  routers:\n    - {name: gw, ip: 10.0.0.1}\n  nodes:\n    - {name: gw, ip: 10.0.0.5}\n', want: [['topology-duplicate-name', 8, 14]] },
    { name: 'missing node ip (at the entry\'s first line)', body: '  nodes:\n    - name: n0\n      podCIDR: 10.244.0.0/24\n', want: [['topology-missing-field', 6, 7]] },
    { name: 'pod without ip', body: '  nodes:\n    - {name: n0, ip: 10.0.0.4}\n  pods:\n    - {name: p, node: n0}\n', want: [['topology-missing-field', 8, 7]] },
    { name: 'wrong type: nodes is a map', body: '  nodes: {name: n0}\n', want: [['topology-wrong-type', 5, 10]] },
    { name: 'wrong type: port is text', body: '  services:\n    - name: s\n      clusterIP: 10.0.0.10\n      ports: [{port: web}]\n', want: [['topology-wrong-type', 8, 22]] },
    { name: 'bad enum value', body: '  services:\n    - {name: s, clusterIP: 10.0.0.10, type: Headless}\n', want: [['topology-bad-value', 6, 45]] },
    { name: 'a key given twice', body: '  nodes:\n    - name: n0\n      ip: 10.0.0.4\n      ip: 10.0.0.5\n', want: [['topology-duplicate-key', 8, 7]] },
    { name: 'headless service is fine', body: '  services:\n    - {name: s, clusterIP: None}\n', want: [] },
    { name: 'hostNetwork pod needs no ip', body: '  nodes:\n    - {name: n0, ip: 10.0.0.4}\n  pods:\n    - {name: p, node: n0, hostNetwork: true}\n', want: [] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(where(parse(c.body)), c.want));
  }
});

void test('apiVersion and kind are checked at their values', () => {
  const r = parseTopology('apiVersion: v2\nkind: Pod\nspec: {}\n', 'c.netsim.yaml', memReader({}));
  assert.deepEqual(r.issues.map((i) => [i.code, i.span.line, i.span.column]), [['topology-bad-api-version', 1, 13], ['topology-bad-kind', 2, 7]]);
});

void test('YAML syntax errors become positioned issues, never a throw', () => {
  for (const text of ['apiVersion: [\nkind: x', 'spec:\n  nodes:\n  - name: a\n   ip: 1', '\t- x', ': :', '{{{{']) {
    const r = parseTopology(text, 'c.netsim.yaml', memReader({}));
    const syntax = r.issues.filter((i) => i.code === 'topology-yaml-syntax');
    assert.ok(syntax.length > 0, text);
    for (const i of syntax) assert.ok(i.span.line >= 1 && i.span.column >= 1 && i.file === 'c.netsim.yaml');
  }
});

void test('defaults are applied as the format documents them', () => {
  const r = parse('  nodes:\n    - {name: n0, ip: 10.0.0.4, podCIDR: 10.244.0.0/24}\n  pods:\n    - {name: p, node: n0, ip: 10.244.0.5}\n  services:\n    - {name: s, clusterIP: 10.0.0.10, ports: [{port: 80}]}\n');
  assert.deepEqual(r.issues, []);
  const n = r.value.nodes[0];
  assert.deepEqual([n.bridge, n.bridgeNfCallIptables, n.hairpinMode], ['cbr0', true, true]);
  const p = r.value.pods[0];
  assert.deepEqual([p.namespace, p.ready, p.hostNetwork], ['default', true, false]);
  const port = r.value.services[0].ports[0];
  assert.deepEqual([port.protocol, port.targetPort], ['TCP', 80]);
  assert.equal(r.value.dnsDomain, 'cluster.local');
});

void test('block-scalar sources are placed at their line and indentation in the YAML file', () => {
  const body = [
    '  nodes:',
    '    - name: n0',
    '      ip: 10.0.0.4',
    '      routes: |',
    '        Kernel IP routing table',
    '        Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
    '        0.0.0.0         10.0.0.1        0.0.0.0         UG    0      0        0 eth0',
  ].join('\n') + '\n';
  const r = parse(body);
  const src = r.value.nodes[0].routes!.source;
  assert.deepEqual([src.placement.file, src.placement.firstLine, src.placement.indent], ['topo/c.netsim.yaml', 9, 8]);
  const text = HEAD + body;
  assert.equal(text.slice(src.placement.offset, src.placement.offset + 6), 'Kernel');
});

// Needs parseIptablesSave (another engineer's parser) to report an unknown option and an undeclared chain.
void test('with parseIptablesSave: a bad rule in an inline iptables block is reported at the YAML file\'s line and column', () => {
  const body = [
    '  nodes:',
    '    - name: n0',
    '      ip: 10.0.0.4',
    '      iptables:',
    '        nat: |',
    '          *nat',
    '          :PREROUTING ACCEPT [0:0]',
    '          -A PREROUTING -p tcp --frobnicate 3 -j ACCEPT',
    '          -A NOPE -j ACCEPT',
    '          COMMIT',
  ].join('\n') + '\n';
  const r = parse(body);
  const got = r.issues.filter((i) => i.code.startsWith('iptables-')).map((i) => [i.code, i.file, i.span.line, i.span.column]);
  // Line 3 of the block is file line 12, column 22 of the rule + 10 columns of indentation.
  assert.deepEqual(got, [['iptables-unknown-option', 'topo/c.netsim.yaml', 12, 32], ['iptables-undeclared-chain', 'topo/c.netsim.yaml', 13, 14]]);
  const text = HEAD + body;
  const unknown = r.issues.find((i) => i.code === 'iptables-unknown-option')!;
  assert.equal(text.slice(unknown.span.start, unknown.span.end), '--frobnicate');
  const origins = r.value.nodes[0].iptables!.origins!;
  assert.deepEqual(origins.get('nat/PREROUTING/1'), { file: 'topo/c.netsim.yaml', line: 12, column: 11, endLine: 12, endColumn: 56, text: '-A PREROUTING -p tcp --frobnicate 3 -j ACCEPT' });
});

void test('a folded (>) source keeps its lines, with an info issue', () => {
  const r = parse('  nodes:\n    - name: n0\n      ip: 10.0.0.4\n      routes: >\n        default via 10.0.0.1 dev eth0\n        10.0.0.0/24 dev eth0\n');
  const src = r.value.nodes[0].routes!.source;
  assert.equal(src.text, 'default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0\n');
  assert.deepEqual(where(r).filter((w) => w[0].startsWith('topology-')), [['topology-folded-source', 8, 15]]);
});

void test('file sources: read relative to the topology, missing and escaping paths are diagnosed at the file: value', async (t) => {
  const cases: { name: string; ref: string; want: [string, number, number][]; asked: string[] }[] = [
    { name: 'present', ref: 'n0/route-n.txt', want: [], asked: ['n0/route-n.txt'] },
    { name: 'present, with ./ and a harmless ..', ref: './n0/../n0/route-n.txt', want: [], asked: ['n0/route-n.txt'] },
    { name: 'missing', ref: 'n0/nope.txt', want: [['topology-file-missing', 8, 22]], asked: ['n0/nope.txt'] },
    { name: 'escaping with ..', ref: '../secret.txt', want: [['topology-file-escapes', 8, 22]], asked: [] },
    { name: 'absolute', ref: '/etc/passwd', want: [['topology-file-escapes', 8, 22]], asked: [] },
    { name: 'windows absolute', ref: 'C:\\x.txt', want: [['topology-file-escapes', 8, 22]], asked: [] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const reader = memReader({ 'n0/route-n.txt': 'default via 10.0.0.1 dev eth0\n' });
      const r = parseTopology(`${HEAD}  nodes:\n    - name: n0\n      ip: 10.0.0.4\n      routes: {file: "${c.ref.replace(/\\/g, '\\\\')}"}\n`, 'topo/c.netsim.yaml', reader);
      assert.deepEqual(where(r as ReturnType<typeof parse>), c.want);
      assert.deepEqual(reader.asked, c.asked);
      if (c.want.length === 0) {
        assert.deepEqual(r.value.referencedFiles, ['n0/route-n.txt']);
        assert.equal(r.value.nodes[0].routes!.source.placement.file, 'topo/n0/route-n.txt');
      }
    });
  }
});

void test('inline route lists become routes with spans at each entry', () => {
  const body = '  routers:\n    - name: gw\n      ip: 10.240.0.1\n      routes: [{to: 10.244.1.0/24, via: 10.240.0.5}, {to: default, via: 10.240.0.1}, {to: 10.9.0.0/16, dev: eth0}, {to: 10.66.0.0/16, type: blackhole}]\n';
  const r = parse(body);
  assert.deepEqual(r.issues, []);
  const routes = r.value.routers[0].routes!.value.routes;
  assert.deepEqual(routes.map((x) => [x.type, x.dst.addr, x.dst.len, x.nexthops]), [
    ['unicast', parseIPv4('10.244.1.0'), 24, [{ via: parseIPv4('10.240.0.5'), dev: undefined }]],
    ['unicast', 0, 0, [{ via: parseIPv4('10.240.0.1'), dev: undefined }]],
    ['unicast', parseIPv4('10.9.0.0'), 16, [{ via: undefined, dev: 'eth0' }]],
    ['blackhole', parseIPv4('10.66.0.0'), 16, []],
  ]);
  const line8 = body.split('\n')[3];
  const col = (needle: string) => line8.indexOf(needle) + 1;
  assert.deepEqual(routes.map((x) => [x.span.line, x.span.column]), [[8, col('{to: 10.244')], [8, col('{to: default')], [8, col('{to: 10.9')], [8, col('{to: 10.66')]]);
  assert.equal(routes[3].raw, '{to: 10.66.0.0/16, type: blackhole}');
});

void test('inline route list errors are reported at the entry\'s values', () => {
  const entries = ['{to: 10.1.0.0/99, via: 10.0.0.1}', '{to: 10.2.0.0/16, via: 10.0.0.999}', '{to: 10.3.0.0/16}', '{via: 10.0.0.1}', '{to: 10.4.0.0/16, dev: eth0}'];
  const r = parse(`  routers:\n    - name: gw\n      ip: 10.240.0.1\n      routes:\n${entries.map((e) => `        - ${e}\n`).join('')}`);
  // Entries start at column 11 ("        - "); the bad values sit where their text starts.
  assert.deepEqual(where(r), [
    ['topology-bad-cidr', 9, 11 + entries[0].indexOf('10.1.0.0/99')],
    ['topology-bad-ip', 10, 11 + entries[1].indexOf('10.0.0.999')],
    ['topology-bad-route', 11, 11],
    ['topology-missing-field', 12, 11],
  ]);
  assert.deepEqual(r.value.routers[0].routes!.value.routes.map((x) => x.raw), ['{to: 10.4.0.0/16, dev: eth0}']);
});

void test('iptables as a map of tables: unknown table names are warned about', () => {
  const r = parse('  nodes:\n    - name: n0\n      ip: 10.0.0.4\n      iptables:\n        natt: "*nat\\nCOMMIT"\n');
  assert.deepEqual(where(r), [['topology-unknown-field', 9, 9]]);
  assert.equal(r.value.nodes[0].iptables, undefined);
});

void test('additive fields: dns, dnsPolicy, dnsConfig, resolver, ready, externalName, sessionAffinity, externalIPs, ipForward', () => {
  const body = [
    '  dns:',
    '    corefile: |',
    '      .:53 {',
    '          forward . 8.8.8.8',
    '      }',
    '    upstream: {example.com: [93.184.216.34], www.example.com: example.com}',
    '  nodes:',
    '    - {name: n0, ip: 10.0.0.4, ipForward: false}',
    '  pods:',
    '    - name: a',
    '      node: n0',
    '      ip: 10.244.0.5',
    '      dnsPolicy: None',
    '      dnsConfig: {nameservers: [1.1.1.1], searches: [corp], options: [{name: ndots, value: "2"}]}',
    '      resolver: musl',
    '      ready: false',
    '  services:',
    '    - {name: ext, type: ExternalName, externalName: example.com}',
    '    - {name: web, clusterIP: 10.0.0.20, sessionAffinity: ClientIP, externalIPs: [192.0.2.10], ports: [{port: 80}]}',
  ].join('\n') + '\n';
  const r = parse(body);
  assert.deepEqual(r.issues, []);
  const v = r.value;
  assert.deepEqual(v.dns?.upstream, { 'example.com': ['93.184.216.34'], 'www.example.com': ['example.com'] });
  assert.equal(v.dns?.corefile?.placement.firstLine, 7);
  assert.equal(v.nodes[0].ipForward, false);
  const p = v.pods[0];
  assert.deepEqual([p.dnsPolicy, p.resolver, p.ready, p.dnsConfig], ['None', 'musl', false, { nameservers: ['1.1.1.1'], searches: ['corp'], options: [{ name: 'ndots', value: '2' }] }]);
  assert.deepEqual([v.services[0].type, v.services[0].externalName, v.services[0].clusterIP], ['ExternalName', 'example.com', undefined]);
  assert.deepEqual([v.services[1].sessionAffinity, v.services[1].externalIPs], ['ClientIP', [parseIPv4('192.0.2.10')]]);
});

// Needs detectFormat and parseIptablesSave (other engineers' code) to recognise the pasted formats.
void test('with detectFormat: a source of the wrong kind, or an iptables table missing from its dump, is warned about at the source', async (t) => {
  const routeN = '"Kernel IP routing table\\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\\n0.0.0.0         10.0.0.1        0.0.0.0         UG    0      0        0 eth0\\n"';
  const cases: { name: string; field: string; want: [string, number, number][] }[] = [
    { name: 'route table under interfaces', field: `interfaces: ${routeN}`, want: [['topology-source-format-mismatch', 8, 19]] },
    { name: 'filter dump under nat', field: 'iptables: {nat: "*filter\\n:INPUT ACCEPT [0:0]\\nCOMMIT\\n"}', want: [['topology-source-format-mismatch', 8, 23]] },
    { name: 'nat dump under nat', field: 'iptables: {nat: "*nat\\n:PREROUTING ACCEPT [0:0]\\nCOMMIT\\n"}', want: [] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const r = parse(`  nodes:\n    - name: n0\n      ip: 10.0.0.4\n      ${c.field}\n`);
      assert.deepEqual(where(r).filter((w) => w[0].startsWith('topology-')), c.want);
    });
  }
});

void test('property: any text, and any one-character deletion from a valid topology, gives issues inside the text and never throws', () => {
  const valid = `${HEAD}  clusterCIDR: 10.244.0.0/16\n  nodes:\n    - name: n0\n      ip: 10.0.0.4\n      podCIDR: 10.244.0.0/24\n      routes: |\n        default via 10.0.0.1 dev eth0\n  pods:\n    - {name: p, node: n0, ip: 10.244.0.5, labels: {app: x}}\n  services:\n    - {name: s, clusterIP: 10.0.0.10, selector: {app: x}, ports: [{port: 53, protocol: UDP}]}\n`;
  const check = (text: string) => {
    const r = parseTopology(text, 'c.netsim.yaml', memReader({}));
    const lines = text.split(/\r\n|\r|\n/).length;
    for (const i of r.issues) {
      assert.ok(i.span.line >= 1 && i.span.line <= lines + 1 && i.span.column >= 1, `${i.code} at ${i.span.line}:${i.span.column}`);
      assert.match(i.code, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  };
  fc.assert(fc.property(fc.string({ maxLength: 200 }), check), { numRuns: 200 });
  fc.assert(fc.property(fc.nat(valid.length - 1), (at) => check(valid.slice(0, at) + valid.slice(at + 1))), { numRuns: 300 });
});

// Needs parseIptablesSave (another engineer's parser).
void test('with parseIptablesSave: every rule of a referenced dump keeps its line in that file', () => {
  const dump = readFileSync(join(CORPUS, 'iptables-kube-proxy', 'k8s-TestOverallIPTablesRules.iptables-save.txt'), 'utf8');
  const r = parse('  nodes:\n    - name: n0\n      ip: 192.168.0.2\n      iptables: {file: dumps/n0.iptables-save.txt}\n', { 'dumps/n0.iptables-save.txt': dump });
  const ipt = r.value.nodes[0].iptables!;
  const lines = dump.split('\n');
  let n = 0;
  for (const [key, o] of ipt.origins!) {
    assert.equal(o.file, 'topo/dumps/n0.iptables-save.txt');
    assert.equal(lines[o.line - 1], o.text, key);
    assert.ok(lines[o.line - 1].startsWith(`-A ${key.split('/')[1]} `), key);
    n++;
  }
  assert.equal(n, lines.filter((l) => l.startsWith('-A ')).length);
});
