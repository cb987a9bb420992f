/**
 * Property tests: whatever text the parsers are given (random words of the
 * formats' vocabulary, corpus dumps with random edits), they return, never
 * throw, and every issue's span lies inside the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import { parseIptablesS } from '../../../src/core/parse/iptables/parse-iptables-s';
import { parseIptablesList } from '../../../src/core/parse/iptables/parse-iptables-list';
import { printIptablesSave } from '../../../src/core/parse/iptables/print-iptables-save';
import { parseNftRuleset } from '../../../src/core/parse/nft/parse-nft-ruleset';
import { parseIpsetList } from '../../../src/core/parse/iptables/parse-ipset';
import { corpusFiles, spansInside } from './iptables-helpers';

const WORDS = [
  '*filter', '*nat', ':INPUT', 'ACCEPT', '[0:0]', '[1:x]', '-', 'COMMIT', '-A', '-I', '-D', '-X', '-N', '-P', '-F', '-s', '-d', '!', '-p', 'tcp',
  '-m', 'comment', '--comment', '"a b"', '"open', '\\"', 'tcp', '--dport', '53', '-j', '-g', 'DNAT', '--to-destination', '10.0.0.1:53',
  'statistic', '--mode', 'random', '--probability', '0.5', 'MARK', '--or-mark', '0x4000', '-c', '1', '2', 'fe80::1', 'Chain', 'X',
  '(policy', 'DROP)', '(2', 'references)', 'pkts', 'bytes', 'target', 'prot', 'opt', 'in', 'out', 'source', 'destination', '--', '-f',
  '!f', '*', '0.0.0.0/0', '!10.0.0.0/8', 'dpt:53', 'to:1.2.3.4', '/*', '*/', 'ADDRTYPE', 'match', 'dst-type', 'LOCAL', 'recent:',
  'CHECK', 'name:', '...', '#', '$', 'iptables', '-t', '|', 'grep', '167M', '113G', 'multiport', 'dports', '80,443', 'icmp', 'type',
];

const lineArb = fc.array(fc.constantFrom(...WORDS), { maxLength: 14 }).map((ws) => ws.join(' '));
const textArb = fc
  .tuple(fc.array(fc.oneof(lineArb, fc.string({ maxLength: 40 })), { maxLength: 25 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([ls, eol]) => ls.join(eol));

const PARSERS = [
  ['iptables-save', (t: string) => parseIptablesSave(t)],
  ['iptables -S', (t: string) => parseIptablesS(t)],
  ['iptables -L', (t: string) => parseIptablesList(t)],
] as const;

const OTHER_PARSERS = [
  ['nft', (t: string) => parseNftRuleset(t)],
  ['ipset list', (t: string) => parseIpsetList(t)],
] as const;

const NFT_WORDS = ['add', 'table', 'chain', 'rule', 'set', 'map', 'element', 'ip', 'ip6', 'kube-proxy', 'services', '{', '}', ';', 'type', 'nat', 'hook',
  'prerouting', 'priority', '-100', 'policy', 'accept', 'jump', 'goto', 'vmap', '@s', 'elements', '=', '10.0.0.1,', 'Name:', 'Type:', 'hash:ip',
  'Members:', 'Number', 'of', 'entries:', '3', '$', 'ipset', 'list', 'delete', 'flush'];
const nftText = fc
  .array(fc.oneof(fc.array(fc.constantFrom(...NFT_WORDS), { maxLength: 10 }).map((ws) => ws.join(' ')), fc.string({ maxLength: 30 })), { maxLength: 25 })
  .map((ls) => ls.join('\n'));

for (const [name, parse] of OTHER_PARSERS) {
  void test(`property: ${name} never throws and keeps spans inside the text`, () => {
    fc.assert(
      fc.property(nftText, (text) => {
        const r = parse(text);
        assert.ok(spansInside(r.issues, text));
      }),
      { numRuns: 400 },
    );
  });
}

for (const [name, parse] of PARSERS) {
  void test(`property: ${name} never throws on vocabulary soup and keeps spans inside the text`, () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const r = parse(text);
        assert.ok(spansInside(r.issues, text));
        printIptablesSave(r.value);
      }),
      { numRuns: 400 },
    );
  });
}

/** Corpus dumps with random edits: characters deleted, inserted or lines swapped. */
const CORPUS_TEXTS = [
  ...corpusFiles('iptables-kube-proxy', /\.txt$/),
  ...corpusFiles('iptables-other', /\.txt$/),
  ...corpusFiles('ipvs', /iptables/),
].map((f) => f.text);

const mutated = fc
  .tuple(
    fc.constantFrom(...CORPUS_TEXTS),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 4 }), fc.boolean()), { minLength: 1, maxLength: 8 }),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [pos, del, ins, quote] of edits) {
      const p = pos % (t.length + 1);
      t = t.slice(0, p) + (quote ? '"' : ins) + t.slice(p + del);
    }
    return t;
  });

for (const [name, parse] of PARSERS) {
  void test(`property: ${name} never throws on edited corpus dumps and keeps spans inside the text`, () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const r = parse(text);
        assert.ok(spansInside(r.issues, text));
      }),
      { numRuns: 150 },
    );
  });
}

void test('property: print → parse is a fixed point for parsed soup', () => {
  fc.assert(
    fc.property(textArb, (text) => {
      const once = printIptablesSave(parseIptablesSave(text).value);
      const twice = printIptablesSave(parseIptablesSave(once).value);
      assert.equal(twice, once);
    }),
    { numRuns: 300 },
  );
});
