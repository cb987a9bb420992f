import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCorefile } from '../../../src/core/parse/dns/parse-corefile';
import { CORPUS } from '../../fixtures/dirs';

const DNS = join(CORPUS, 'dns');
const corefiles = readdirSync(DNS).filter((f) => /Corefile/.test(f));

void test('every Corefile of the corpus parses without an error-level issue', () => {
  assert.ok(corefiles.length >= 4);
  for (const f of corefiles) {
    const r = parseCorefile(readFileSync(join(DNS, f), 'utf8'));
    assert.deepEqual(r.issues.filter((i) => i.severity === 'error').map((i) => i.code), [], f);
    assert.ok(r.value.servers.length >= 1, f);
    assert.ok(r.value.servers[0].directives.some((d) => d.name === 'kubernetes'), f);
  }
});

void test('corpus Corefiles: server keys, plugin arguments, nested blocks and their lines', () => {
  const cases: { file: string; zones: string[][]; kubernetesLine: number; pods: string; forward: string[]; forwardLine: number }[] = [
    { file: 'k8s-website-coredns-federation-stubdomains.Corefile', zones: [['.'], ['abc.com.'], ['my.cluster.local.']], kubernetesLine: 4, pods: 'insecure', forward: ['.', '8.8.8.8', '8.8.4.4'], forwardLine: 12 },
    { file: 'k8s-website-coredns-stubdomain-consul.configmap-Corefile.yaml', zones: [['.'], ['consul.local.']], kubernetesLine: 11, pods: 'insecure', forward: ['.', '172.16.0.1'], forwardLine: 16 },
    { file: 'k8s-website-coredns-legacy-proxy-upstream-log.configmap-Corefile.yaml', zones: [['.']], kubernetesLine: 12, pods: 'insecure', forward: ['.', '/etc/resolv.conf'], forwardLine: 18 },
    { file: 'tkng-kind-coredns.configmap-Corefile.yaml', zones: [['.']], kubernetesLine: 14, pods: 'insecure', forward: ['.', '/etc/resolv.conf'], forwardLine: 20 },
  ];
  for (const c of cases) {
    const r = parseCorefile(readFileSync(join(DNS, c.file), 'utf8'));
    assert.deepEqual(r.value.servers.map((s) => s.keys.map((k) => k.zone)), c.zones, c.file);
    assert.ok(r.value.servers.every((s) => s.keys.every((k) => k.port === 53)), c.file);
    const main = r.value.servers[0].directives;
    const k = main.find((d) => d.name === 'kubernetes')!;
    assert.equal(k.span.line, c.kubernetesLine, c.file);
    assert.deepEqual(k.args.map((a) => a.text), ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], c.file);
    assert.equal(k.block?.find((d) => d.name === 'pods')?.args[0].text, c.pods, c.file);
    const fwd = main.find((d) => d.name === 'forward' || d.name === 'proxy')!;
    assert.deepEqual([fwd.args[0].text, ...fwd.args.slice(1).map((a) => a.text)], c.forward, c.file);
    assert.equal(fwd.nameSpan.line, c.forwardLine, c.file);
  }
});

void test('ConfigMap spans point into the YAML file (line and column of the plugin)', () => {
  const text = readFileSync(join(DNS, 'tkng-kind-coredns.configmap-Corefile.yaml'), 'utf8');
  const r = parseCorefile(text);
  const k = r.value.servers[0].directives.find((d) => d.name === 'kubernetes')!;
  assert.equal(text.slice(k.nameSpan.start, k.nameSpan.end), 'kubernetes');
  assert.equal(k.nameSpan.column, 9);
  const health = r.value.servers[0].directives.find((d) => d.name === 'health')!;
  assert.deepEqual(health.block?.map((d) => [d.name, d.args.map((a) => a.text)]), [['lameduck', ['5s']]]);
});

void test('malformed Corefiles: codes and spans', () => {
  const cases: { text: string; codes: string[]; line: number; column: number }[] = [
    { text: '.:53 {\n    errors\n', codes: ['corefile-unclosed-block'], line: 1, column: 6 },
    { text: '.:53 {\n}\n}\n', codes: ['corefile-unexpected-close'], line: 3, column: 1 },
    { text: '.:53 {\n  rewrite name "a.b c.d\n}\n', codes: ['corefile-unterminated-quote', 'corefile-unclosed-block'], line: 2, column: 16 },
    { text: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  other: x\n', codes: ['corefile-not-in-configmap'], line: 1, column: 1 },
    { text: 'example.org:99999 {\n  whoami\n}\n', codes: ['corefile-bad-server-key'], line: 1, column: 1 },
    { text: '.:53\n', codes: ['corefile-missing-block'], line: 1, column: 1 },
  ];
  for (const c of cases) {
    const r = parseCorefile(c.text);
    assert.deepEqual(r.issues.map((i) => i.code), c.codes, c.text);
    assert.equal(r.issues[0].span.line, c.line, c.text);
    assert.equal(r.issues[0].span.column, c.column, c.text);
  }
});

void test('keys: schemes, ports, several zones, comments and glued braces', () => {
  const r = parseCorefile('# comment\ndns://cluster.local:5353 example.org, {\n  kubernetes { # note\n    pods verified\n  }\n}\n(snip) {\n  log\n}\n');
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.value.servers[0].keys.map((k) => [k.zone, k.port]), [['cluster.local.', 5353], ['example.org.', 53]]);
  assert.deepEqual(r.value.servers[0].directives[0].block?.map((d) => d.name), ['pods']);
  assert.equal(r.value.servers[1].snippet, 'snip');
});
