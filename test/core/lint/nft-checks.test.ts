import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNftables } from '../../../src/core/lint/nft-checks';
import { hostOf } from '../sim/fixtures';

const lint = (nft: string): string[] =>
  checkNftables(hostOf({ id: 'n', kind: 'node', ifaces: [], nftables: nft }), 't.yaml').map((i) => `${i.code} ${i.span.line}`);

void test('nft lint: the real kube-proxy ruleset (nft list ruleset -a) is clean', () => {
  assert.deepEqual(lint(readFileSync(join(__dirname, '../../fixtures/nft/kube-proxy-overall.list-a.nft'), 'utf8')), []);
});

void test('nft lint: undefined chains and sets, cycles and numgen maps that do not fit their modulus, on their lines', () => {
  const text = [
    'table ip t {',                                                     // 1
    '  map m { type ipv4_addr : verdict; elements = { 10.0.0.1 : goto nowhere } }',  // 2
    '  chain a {',                                                      // 3
    '    jump b',                                                       // 4
    '    ip daddr @missing accept',                                     // 5
    '    ip daddr vmap @m',                                             // 6
    '    numgen random mod 3 vmap { 0 : goto b, 1 : goto b }',          // 7
    '    numgen random mod 2 vmap { 0 : goto b, 1 : goto b, 5 : goto b }', // 8
    '    goto gone',                                                    // 9
    '  }',
    '  chain b {',
    '    jump a',                                                       // 12
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual(lint(text).sort(), [
    'jump-cycle 12',
    'numgen-modulus-mismatch 7',
    'numgen-modulus-mismatch 8',
    'undefined-chain 2',
    'undefined-chain 9',
    'undefined-set 5',
  ]);
});
