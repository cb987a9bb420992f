/**
 * Property tests for the route, rule, interface, resolver, kubectl and ipvsadm
 * parsers, detection and parseAs: on any text (random, and soups of the formats'
 * own tokens) they return without throwing, every issue span lies inside the
 * text, and its line/column agree with its offsets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineCounter, type Issue, type Span } from '../../../src/core/source';
import { parseRouteTable, parseRouteTableAs } from '../../../src/core/parse/routes/parse-routes';
import { parseIpRule } from '../../../src/core/parse/routes/parse-ip-rule';
import { parseInterfaces, parseInterfacesAs } from '../../../src/core/parse/interfaces/parse-interfaces';
import { parseResolvConf } from '../../../src/core/parse/dns/parse-resolv-conf';
import { parseKubectl } from '../../../src/core/parse/kubectl/parse-kubectl';
import { parseIpvsadm } from '../../../src/core/parse/ipvs/parse-ipvsadm';
import { detectFormat, type FormatName } from '../../../src/core/parse/text/detect';
import { parseAs } from '../../../src/core/parse/parse-any';

const TOKENS = [
  'default', 'via', 'dev', 'eth0', 'cbr0', 'proto', 'kernel', 'scope', 'link', 'src', 'metric', 'table', 'local', 'blackhole', 'unreachable',
  'nexthop', 'weight', 'onlink', 'mtu', 'lock', '10.244.0.0/24', '10.0.0.1', '0.0.0.0', '255.255.255.0', '300.1.1.1', 'fe80::1/64', '::',
  'Kernel IP routing table', 'Destination', 'Gateway', 'Genmask', 'Flags', 'Metric', 'Ref', 'Use', 'Iface', 'UG', 'U', '!H', '*',
  'NAME | ADDRESS PREFIX | NEXT HOP |', '---|---|---|', '|', 'AddressPrefix', 'NextHopType', 'NextHopIpAddress', '-----', 'VirtualAppliance', 'None',
  '0:', '32766:', 'from', 'all', 'to', 'not', 'iif', 'oif', 'fwmark', '0x1/0x1', 'lookup', 'main', 'goto', '[detached]',
  '1:', 'lo:', 'eth0@if5:', '<BROADCAST,UP>', 'state', 'UP', 'master', 'link/ether', 'inet', 'inet6', 'brd', 'secondary', 'eth0:1', 'valid_lft',
  'Link encap:Ethernet', 'HWaddr', 'inet addr:10.0.0.1', 'Mask:255.255.0.0', 'Bcast:1.2.3.4', 'flags=4163<UP>', 'netmask', 'MTU:1500',
  'nameserver', 'search', 'domain', 'options', 'ndots:5', 'timeout:99', 'attempts:', 'rotate', 'sortlist', ';', '#',
  'NAMESPACE', 'NAME', 'READY', 'STATUS', 'CLUSTER-IP', 'PORT(S)', 'ENDPOINTS', 'NOMINATED NODE', 'pod/web', '+ 7 more...', '<none>',
  'IP Virtual Server version 1.2.1', 'Prot LocalAddress:Port', 'TCP', 'UDP', 'FWM', '10.96.0.1:443', 'rr', 'persistent', '->', 'Masq', '1',
  '$', '# ip route', 'root@n:~#', '...', '<...>', '*nat', 'Chain X (policy ACCEPT)', '-A', 'apiVersion: v1', 'kind: X', '.:53 {',
];
const SEPARATORS = [' ', '  ', '\t', '   '];
const NEWLINES = ['\n', '\r\n', '\r', '\n\n'];

/** Lines made of the formats' own words, so the parsers get past their first checks. */
const soup = fc.array(
  fc.tuple(fc.constantFrom('', ' ', '    ', '\t'), fc.array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(...SEPARATORS)), { maxLength: 12 }), fc.constantFrom(...NEWLINES)),
  { maxLength: 25 },
).map((lines) => lines.map(([indent, words, nl]) => indent + words.map(([w, s]) => w + s).join('') + nl).join(''));

const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), soup);

/** Whether a span lies inside `text` and its line/column agree with its offsets. */
function spanOk(text: string, lc: LineCounter, s: Span): boolean {
  if (!(s.start >= 0 && s.start <= s.end && s.end <= text.length)) return false;
  const a = lc.position(s.start);
  const b = lc.position(s.end);
  return a.line === s.line && a.column === s.column && b.line === s.endLine && b.column === s.endColumn;
}

function checkIssues(text: string, issues: Issue[]): void {
  const lc = new LineCounter(text);
  for (const i of issues) {
    assert.match(i.code, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    assert.ok(['error', 'warning', 'info'].includes(i.severity));
    assert.ok(spanOk(text, lc, i.span), `${i.code} span ${JSON.stringify(i.span)} in ${JSON.stringify(text)}`);
  }
}

const PARSERS: [string, (t: string) => { issues: Issue[]; spans: Span[] }][] = [
  ['parseRouteTable', (t) => { const r = parseRouteTable(t); return { issues: r.issues, spans: r.value.routes.map((x) => x.span) }; }],
  ...(['route-n', 'ip-route', 'azure-route-table'] as const).map((f): [string, (t: string) => { issues: Issue[]; spans: Span[] }] =>
    [`parseRouteTableAs ${f}`, (t) => { const r = parseRouteTableAs(t, f); return { issues: r.issues, spans: r.value.routes.map((x) => x.span) }; }]),
  ['parseIpRule', (t) => { const r = parseIpRule(t); return { issues: r.issues, spans: r.value.map((x) => x.span) }; }],
  ['parseInterfaces', (t) => { const r = parseInterfaces(t); return { issues: r.issues, spans: r.value.interfaces.flatMap((i) => [i.span, ...i.addresses.map((a) => a.span)]) }; }],
  ['parseInterfacesAs ifconfig', (t) => { const r = parseInterfacesAs(t, 'ifconfig'); return { issues: r.issues, spans: r.value.interfaces.flatMap((i) => [i.span, ...i.addresses.map((a) => a.span)]) }; }],
  ['parseResolvConf', (t) => { const r = parseResolvConf(t); return { issues: r.issues, spans: [...r.value.nameservers.map((n) => n.span), ...Object.values(r.value.optionSpans)] }; }],
  ['parseKubectl', (t) => { const r = parseKubectl(t); return { issues: r.issues, spans: r.value.tables.flatMap((x) => [x.span, ...x.rows.map((w) => w.span)]) }; }],
  ['parseIpvsadm', (t) => { const r = parseIpvsadm(t); return { issues: r.issues, spans: r.value.services.flatMap((s) => [s.span, ...s.realServers.map((x) => x.span)]) }; }],
];

for (const [name, parse] of PARSERS) {
  void test(`property: ${name} never throws; issue and element spans lie in the text`, () => {
    fc.assert(fc.property(anyText, (t) => {
      const r = parse(t);
      checkIssues(t, r.issues);
      const lc = new LineCounter(t);
      for (const s of r.spans) assert.ok(spanOk(t, lc, s), `element span ${JSON.stringify(s)}`);
    }), { numRuns: 250 });
  });
}

const MINE: FormatName[] = ['route-n', 'ip-route', 'azure-route-table', 'ip-rule', 'ip-addr', 'ifconfig', 'resolv-conf', 'kubectl', 'ipvsadm'];

void test('property: detectFormat never throws and is stable under leading prompt and blank lines', () => {
  fc.assert(fc.property(soup, (t) => {
    const f = detectFormat(t);
    if (f !== undefined && f !== 'topology' && f !== 'corefile' && f !== 'kubernetes') assert.equal(detectFormat(`\n$ cat dump.txt\n\n${t}`), f);
  }), { numRuns: 300 });
});

void test('property: parseAs on this module\'s formats never throws and keeps spans in the text', () => {
  fc.assert(fc.property(anyText, fc.constantFrom(...MINE), (t, f) => {
    const r = parseAs(f, t);
    assert.equal(r.format, f);
    checkIssues(t, r.issues);
  }), { numRuns: 300 });
});
