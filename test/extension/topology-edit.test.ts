import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setSourceFileEdit, applyEdit } from '../../src/extension/logic/topology-edit';
import { parseTopology } from '../../src/core/parse/topology/parse-topology';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './fixture';

const MINI = readFileSync(join(FIXTURES, 'mini.netsim.yaml'), 'utf8');

void test('adds or replaces {file: …} on the right host, and the result still reads as a topology', () => {
  const cases: [Parameters<typeof setSourceFileEdit>[1], string, string, string, string | undefined, RegExp][] = [
    ['nodes', 'node-b', 'routes', 'node-b/route-n.txt', undefined, /- name: node-b\n {6}ip: 10\.240\.0\.5\n {6}podCIDR: 10\.244\.1\.0\/24\n {6}routes: \{file: node-b\/route-n\.txt\}\n/],
    ['nodes', 'node-a', 'iptables', 'node-a/new.txt', undefined, /\n {6}iptables: \{file: node-a\/new\.txt\}\n/],
    ['nodes', 'node-a', 'iptables', 'node-a/nat.txt', 'nat', /\n {6}iptables: \{nat: \{file: node-a\/nat\.txt\}\}\n/],
    ['pods', 'default/client', 'resolvConf', 'default_client/resolv.conf', undefined, /\{name: client, node: node-a, ip: 10\.244\.0\.6, resolvConf: \{file: default_client\/resolv\.conf\}\}/],
    ['routers', 'gateway', 'interfaces', 'gateway/ip-addr.txt', undefined, /- \{to: 10\.244\.1\.0\/24, via: 10\.240\.0\.5\}\n {6}interfaces: \{file: gateway\/ip-addr\.txt\}\n/],
  ];
  for (const [section, host, key, file, table, want] of cases) {
    const e = setSourceFileEdit(MINI, section, host, key, file, table);
    assert.ok(e, `${host}.${key}`);
    const out = applyEdit(MINI, e);
    assert.match(out, want, `${host}.${key}`);
    const parsed = parseTopology(out, 'mini.netsim.yaml', { read: () => ({ text: '' }) });
    assert.deepEqual(parsed.issues.filter((i) => i.code === 'topology-yaml-syntax' || i.code === 'topology-duplicate-key'), [], `${host}.${key}`);
  }
});

void test('refuses unknown hosts and broken YAML', () => {
  assert.equal(setSourceFileEdit(MINI, 'nodes', 'node-z', 'routes', 'x.txt'), undefined);
  assert.equal(setSourceFileEdit(MINI, 'pods', 'other/client', 'routes', 'x.txt'), undefined);
  assert.equal(setSourceFileEdit('spec: [\n', 'nodes', 'node-a', 'routes', 'x.txt'), undefined);
});
