/** resolv.conf as glibc reads it: limits, last search wins, option caps; codes and spans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResolvConf } from '../../../src/core/parse/dns/parse-resolv-conf';
import { places, text } from './parse-view';

const CASES: { name: string; input: string; nameservers: string[]; search: string[]; options?: Record<string, unknown>; issues?: string[] }[] = [
  {
    name: 'the seed pod: kube-dns ClusterIP, four search domains, ndots:5',
    input: text(
      '# cat /etc/resolv.conf',
      'nameserver 10.0.0.10',
      'search default.svc.cluster.local svc.cluster.local cluster.local tbshyrd11cuundvieskktqf3ib.lx.internal.cloudapp.net',
      'options ndots:5',
    ),
    nameservers: ['10.0.0.10'],
    search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'tbshyrd11cuundvieskktqf3ib.lx.internal.cloudapp.net'],
    options: { ndots: 5, timeout: 5, attempts: 2 },
  },
  {
    name: 'more than three nameservers: the fourth is never used',
    input: text('nameserver 10.0.0.1', 'nameserver 10.0.0.2', 'nameserver fd00::a', 'nameserver 10.0.0.4'),
    nameservers: ['10.0.0.1', '10.0.0.2', 'fd00::a'],
    search: [],
    issues: ['resolv-too-many-nameservers@4:12-20'],
  },
  {
    name: 'the last of search/domain wins; the earlier one is noted',
    input: text('search a.example b.example', '; a comment', 'domain corp.example', '# another'),
    nameservers: [],
    search: ['corp.example'],
    issues: ['resolv-search-overridden@1:1-27'],
  },
  {
    name: 'options accumulate; glibc caps ndots, timeout, attempts',
    input: text('options ndots:20 timeout:60', 'options attempts:9 rotate single-request-reopen use-vc no-aaaa edns0 trust-ad inet6 frobnicate'),
    nameservers: [],
    search: [],
    options: { ndots: 15, timeout: 30, attempts: 5, rotate: true, singleRequestReopen: true, useVc: true, noAaaa: true, edns0: true, trustAd: true, other: ['inet6', 'frobnicate'] },
    issues: ['resolv-option-capped@1:9-17', 'resolv-option-capped@1:18-28', 'resolv-option-capped@2:9-19', 'resolv-unknown-option@2:85-95'],
  },
  {
    name: 'bad lines: span at the token',
    input: text('nameserver dns.example', 'nameserver', 'options ndots:x', 'sortlist 10.0.0.0/255.0.0.0', 'lookup file bind'),
    nameservers: [],
    search: [],
    issues: ['resolv-bad-nameserver@1:12-23', 'resolv-missing-value@2:1-11', 'resolv-bad-option-value@3:9-16', 'resolv-sortlist-ignored@4:1-28', 'resolv-unknown-keyword@5:1-7'],
  },
];

for (const c of CASES) {
  void test(`resolv.conf: ${c.name}`, () => {
    const r = parseResolvConf(c.input);
    assert.deepEqual(r.value.nameservers.map((n) => n.address), c.nameservers);
    assert.deepEqual(r.value.search, c.search);
    for (const [k, v] of Object.entries(c.options ?? {})) assert.deepEqual(r.value.options[k as keyof typeof r.value.options], v, k);
    assert.deepEqual(places(r.issues), c.issues ?? []);
  });
}

void test('resolv.conf: spans on every element', () => {
  const input = text('nameserver 10.96.0.10', 'search default.svc.cluster.local svc.cluster.local', 'options ndots:5 edns0');
  const r = parseResolvConf(input).value;
  const at = (s: { start: number; end: number }) => input.slice(s.start, s.end);
  assert.equal(at(r.nameservers[0].span), '10.96.0.10');
  assert.equal(at(r.searchSpan!), 'search default.svc.cluster.local svc.cluster.local');
  assert.equal(at(r.optionSpans.ndots), 'ndots:5');
  assert.equal(at(r.optionSpans.edns0), 'edns0');
});
