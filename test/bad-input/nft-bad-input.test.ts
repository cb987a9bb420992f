/**
 * `kube-netsim parse` on hostile nftables input: braces that never close or
 * close nothing, a set of a megabyte of elements on one line, statements no
 * nft version has, binary junk. Every run ends with a spec exit code, no stack
 * trace, and issues placed inside the text with the codes below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInBounds, assertSane, parseJson, run, type ParseJson } from './harness';

async function parse(text: string, format = 'nft-ruleset'): Promise<{ code: number; j: ParseJson }> {
  const r = await run(['parse', 'in.nft', '--format', format, '--json'], { 'in.nft': text });
  assertSane(r, [0, 1], format);
  const j = parseJson(r.out, format);
  for (const i of j.issues) assertInBounds(i, text, format);
  return { code: r.code, j };
}

const at = (j: ParseJson): string[] => j.issues.map((i) => `${i.line}:${i.column} ${i.code}`);

void test('nft: unbalanced braces are errors at the brace; what is inside is still read', async () => {
  const { code, j } = await parse('table ip t {\n  chain c {\n    tcp dport 22 accept\n  }\n}\n}\ntable ip u {\n  chain d {\n    accept\n');
  assert.equal(code, 1);
  assert.deepEqual(at(j).sort(), ['6:1 nft-unbalanced-brace', '7:12 nft-unbalanced-brace', '8:11 nft-unbalanced-brace']);
  assert.deepEqual(j.summary, { tables: 2, chains: 2, rules: 2, sets: 0, baseChains: 0, elements: 0 });
});

void test('nft: a one-megabyte set is read whole (auto-detected)', async () => {
  const els: string[] = [];
  for (let i = 0, len = 0; len < 1e6; i++) {
    const e = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} . tcp . ${1 + (i % 65535)}`;
    els.push(e);
    len += e.length + 2;
  }
  const text = `table ip big {\n\tset s {\n\t\ttype ipv4_addr . inet_proto . inet_service\n\t\telements = { ${els.join(', ')} }\n\t}\n}\n`;
  const r = await run(['parse', 'big.nft', '--json'], { 'big.nft': text });
  assertSane(r, [0], 'big set');
  const j = parseJson(r.out, 'big set');
  assert.equal(j.format, 'nft-ruleset');
  assert.equal(j.summary.elements, els.length);
});

void test('nft: statements and expressions no nft version has are kept as text, with a warning where they start', async () => {
  const { code, j } = await parse('table inet f {\n\tchain input {\n\t\ttype filter hook input priority 0; policy drop;\n\t\ttcp dport 22 teleport to mars accept\n\t\tfrobnicate\n\t\tip saddr 10.0.0.1 accept\n\t}\n}\n');
  assert.equal(code, 0);
  assert.deepEqual(at(j), ['4:16 nft-unknown-statement', '5:3 nft-unknown-statement']);
  assert.equal(j.summary.rules, 3);
});

void test('nft: binary junk gives positioned errors, never a crash', async () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const junk = Array.from({ length: 20000 }, () => String.fromCharCode(Math.floor(rnd() * 256))).join('');
  for (const text of [junk, `table ip t {\n${junk}\n}\n`, `table ip t { chain c { ${junk} } }`, '\u0000{{{{"\n}}}}@@ ;;; table', 'add rule ip nowhere c accept']) {
    const { j } = await parse(text);
    assert.ok(j.issues.length > 0);
    assert.ok(j.issues.every((i) => i.line >= 1 && i.column >= 1));
  }
});
