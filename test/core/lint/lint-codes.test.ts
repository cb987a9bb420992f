/**
 * For each lint code: a minimal topology that raises it, and the clean base
 * that does not. Assertions are on codes, files and lines, not on wording.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, edit, lint, withNodeIptables } from './lint-fixtures';

const codes = (text: string, files?: Record<string, string>) => lint(text, files).issues.map((i) => i.code);

describe('lint: the clean base raises nothing above info', () => {
  it('has no errors or warnings', () => {
    const { all } = lint(BASE);
    assert.deepEqual(all.filter((i) => i.severity !== 'info').map((i) => `${i.code}: ${i.message}`), []);
  });
});

const NAT = (body: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${body}\nCOMMIT`;

const CASES: { code: string; text: string; line?: number }[] = [
  { code: 'unreachable-pod-cidr', text: edit('        - {to: 10.244.1.0/24, via: 10.240.0.5}\n', '') },
  { code: 'service-unreachable-endpoint', text: edit('{to: 10.244.1.0/24, via: 10.240.0.5}', '{to: 10.244.1.0/24, type: blackhole}') },
  { code: 'blackholed-route', text: edit('{to: 10.244.1.0/24, via: 10.240.0.5}', '{to: 10.244.1.0/24, type: blackhole}') },
  { code: 'route-loop', text: edit('{to: 10.244.1.0/24, via: 10.240.0.5}', '{to: 10.244.1.0/24, via: 10.240.0.4}') },
  { code: 'next-hop-not-on-link', text: edit('{to: 10.244.1.0/24, via: 10.240.0.5}', '{to: 10.244.1.0/24, via: 192.168.7.7}') },
  { code: 'next-hop-unknown', text: edit('{to: 10.244.1.0/24, via: 10.240.0.5}', '{to: 10.244.1.0/24, via: 10.240.0.99}') },
  { code: 'overlapping-cidr', text: edit('podCIDR: 10.244.1.0/24', 'podCIDR: 10.244.0.0/23') },
  { code: 'pod-outside-pod-cidr', text: edit('{name: a, node: n0, ip: 10.244.0.5', '{name: a, node: n0, ip: 10.244.1.7') },
  { code: 'duplicate-ip', text: edit('{name: b, node: n1, ip: 10.244.1.5', '{name: b, node: n1, ip: 10.244.0.5') },
  { code: 'clusterip-outside-service-cidr', text: edit('clusterIP: 10.0.0.20', 'clusterIP: 10.1.0.20') },
  { code: 'selector-matches-nothing', text: edit('selector: {app: web}', 'selector: {app: nope}') },
  { code: 'node-not-on-router-network', text: edit('    - {name: n1, ip: 10.240.0.5, podCIDR: 10.244.1.0/24}\n', '    - {name: n1, ip: 10.240.0.5, podCIDR: 10.244.1.0/24}\n    - {name: n2, ip: 192.168.1.4, podCIDR: 10.244.2.0/24}\n') },
  { code: 'undefined-chain', text: withNodeIptables(NAT('-A PREROUTING -j KUBE-NOWHERE')) },
  { code: 'jump-cycle', text: withNodeIptables(NAT(':A - [0:0]\n:B - [0:0]\n-A PREROUTING -j A\n-A A -j B\n-A B -j A')) },
  { code: 'unused-chain', text: withNodeIptables(NAT(':LONELY - [0:0]\n-A LONELY -j RETURN')) },
  { code: 'empty-chain-jump', text: withNodeIptables(NAT(':EMPTY - [0:0]\n-A PREROUTING -j EMPTY')) },
  { code: 'shadowed-rule', text: withNodeIptables(NAT('-A PREROUTING -d 10.0.0.0/16 -j RETURN\n-A PREROUTING -d 10.0.0.20/32 -p tcp -j DNAT --to-destination 10.244.1.5:8080')) },
  { code: 'probability-cascade', text: withNodeIptables(NAT(':KUBE-SVC-X - [0:0]\n:KUBE-SEP-1 - [0:0]\n:KUBE-SEP-2 - [0:0]\n-A PREROUTING -j KUBE-SVC-X\n-A KUBE-SVC-X -m statistic --mode random --probability 0.2 -j KUBE-SEP-1\n-A KUBE-SVC-X -j KUBE-SEP-2\n-A KUBE-SEP-1 -p tcp -j DNAT --to-destination 10.244.0.5:8080\n-A KUBE-SEP-2 -p tcp -j DNAT --to-destination 10.244.1.5:8080')) },
  { code: 'service-without-endpoints', text: withNodeIptables('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A OUTPUT -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.0.0.30/32 -p tcp -m comment --comment "default/gone:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\nCOMMIT') },
];

describe('lint: each code from a minimal topology', () => {
  for (const c of CASES) {
    it(c.code, () => {
      const got = codes(c.text);
      assert.ok(got.includes(c.code), `expected ${c.code}, got [${got.join(', ')}]`);
    });
  }
  it('asymmetric-route: forward path works, the reply is blackholed on the way back', () => {
    const text = edit('    - {name: n1, ip: 10.240.0.5, podCIDR: 10.244.1.0/24}\n',
      '    - name: n1\n      ip: 10.240.0.5\n      podCIDR: 10.244.1.0/24\n      routes:\n        - {to: 10.244.1.0/24, dev: cbr0}\n        - {to: 10.240.0.0/16, dev: eth0}\n        - {to: 10.244.0.0/24, type: blackhole}\n');
    const got = codes(text);
    assert.ok(got.includes('asymmetric-route'), `got [${got.join(', ')}]`);
  });
});

describe('lint: each problem once', () => {
  it('a missing gateway route is one finding after the table\'s last row, naming the replies and the Service endpoints it cuts off', () => {
    const text = edit('        - {to: 10.244.1.0/24, via: 10.240.0.5}\n', '');
    const found = lint(text).issues.filter((i) => i.severity !== 'info');
    assert.deepEqual(found.map((i) => i.code), ['unreachable-pod-cidr'], found.map((i) => i.message).join('\n'));
    const [i] = found;
    const lastRow = text.split('\n').findIndex((l) => l.includes('{to: 10.244.0.0/24, via: 10.240.0.4}')) + 1;
    assert.equal(i.span.line, lastRow);
    assert.equal(i.span.column, i.span.endColumn, 'an empty place, not a squiggle over the correct row');
    assert.ok(i.span.column > text.split('\n')[lastRow - 1].trimEnd().length, 'just past the row');
    assert.match(i.message, /from n0's pods/);
    assert.match(i.message, /replies/);
    assert.ok(i.related?.some((r) => /Service default\/web: endpoint 10\.244\.1\.5/.test(r.message)), JSON.stringify(i.related));
  });

  it('a pod outside its node\'s pod CIDR is one error, not a warning besides', () => {
    const { all } = lint(edit('{name: a, node: n0, ip: 10.244.0.5', '{name: a, node: n0, ip: 10.244.1.7'));
    const line = all.filter((i) => i.code.includes('outside-pod-cidr'));
    assert.deepEqual(line.map((i) => [i.code, i.severity]), [['pod-outside-pod-cidr', 'error']]);
  });
});

describe('lint: placement', () => {
  it('reports a netfilter problem on the rule line inside the inline block', () => {
    const text = withNodeIptables(NAT('-A PREROUTING -j KUBE-NOWHERE'));
    const i = lint(text).issues.find((x) => x.code === 'undefined-chain');
    assert.ok(i);
    const line = text.split('\n').findIndex((l) => l.includes('-A PREROUTING -j KUBE-NOWHERE')) + 1;
    assert.equal(i.file, 'cluster.netsim.yaml');
    assert.equal(i.span.line, line);
  });
});

describe('lint: dns-search-amplification', () => {
  it('flags an upstream name with few dots, not one written with a trailing dot', () => {
    const withUpstream = (name: string) => `${BASE}  dns:\n    upstream:\n      ${name}: [93.184.216.34]\n`;
    const hit = lint(withUpstream('api.example.com')).issues.find((i) => i.code === 'dns-search-amplification');
    assert.ok(hit, 'raised for api.example.com');
    assert.equal(hit.span.line, withUpstream('api.example.com').split('\n').findIndex((l) => l.includes('api.example.com')) + 1);
    const clean = lint(withUpstream('"api.example.com."')).issues.filter((i) => i.code === 'dns-search-amplification');
    assert.deepEqual(clean, []);
  });
});
