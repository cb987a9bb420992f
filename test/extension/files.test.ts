import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { resolveInside } from '../../src/extension/logic/contain-path';
import { hostForFile, defaultSource, normalizeRel } from '../../src/extension/logic/host-of-file';
import { importTargetOf, folderOfHost, tableOfListing } from '../../src/extension/logic/import-target';
import { loadMini, corpus } from './fixture';

void test('resolveInside keeps {file: …} inside the workspace folder', () => {
  const cases: [string, string, string, string | undefined][] = [
    // root, topology dir, path as written, resolved (undefined = refused)
    ['/ws', '/ws/demo', 'agent-0/iptables-save.txt', '/ws/demo/agent-0/iptables-save.txt'],
    ['/ws', '/ws/demo', '../common/route-n.txt', '/ws/common/route-n.txt'],
    ['/ws', '/ws/demo', '../../etc/passwd', undefined],
    ['/ws', '/ws/demo', '/etc/passwd', undefined],
    ['/ws', '/ws', '..', undefined],
    ['/ws', '/ws', '', undefined],
    ['/ws', '/ws', 'C:\\x.txt', undefined],
    ['/ws', '/ws/demo', './a/../b.txt', '/ws/demo/b.txt'],
    ['/ws', '/ws', '../ws2/x.txt', undefined],
  ];
  for (const [root, dir, rel, want] of cases) {
    const r = resolveInside(root, dir, rel);
    assert.deepEqual('path' in r ? r.path : undefined, want, rel);
  }
});

void test('hostForFile: the host whose {file: …} a dump is; defaultSource: setting, else first pod', () => {
  const { topology } = loadMini();
  assert.equal(hostForFile(topology, 'node-a/iptables-save.txt'), 'node-a');
  assert.equal(hostForFile(topology, './node-a/iptables-save.txt'), 'node-a');
  assert.equal(hostForFile(topology, 'node-b/iptables-save.txt'), undefined);
  assert.equal(defaultSource(topology, ''), 'default/client');
  assert.equal(defaultSource(topology, ' node-b '), 'node-b');
  assert.equal(normalizeRel('.\\a\\b.txt'), 'a/b.txt');
});

void test('import targets: key, table and file name per format', () => {
  assert.deepEqual(importTargetOf('iptables-save'), { key: 'iptables', fileName: 'iptables-save.txt' });
  assert.deepEqual(importTargetOf('iptables-list', 'nat'), { key: 'iptables', table: 'nat', fileName: 'iptables-t-nat-L-n-v.txt' });
  assert.deepEqual(importTargetOf('route-n'), { key: 'routes', fileName: 'route-n.txt' });
  assert.deepEqual(importTargetOf('ifconfig'), { key: 'interfaces', fileName: 'ifconfig.txt' });
  assert.deepEqual(importTargetOf('resolv-conf'), { key: 'resolvConf', fileName: 'resolv.conf' });
  assert.equal(importTargetOf('kubectl'), undefined);
  assert.equal(folderOfHost('kube-system/kube-dns-v20'), 'kube-system_kube-dns-v20');
  assert.equal(tableOfListing(corpus('iptables-other/flannel-docker-kubeadm-2019.iptables-t-nat-L-n-v.txt')), 'nat');
  assert.equal(tableOfListing('Chain INPUT (policy ACCEPT)\n'), undefined);
});
