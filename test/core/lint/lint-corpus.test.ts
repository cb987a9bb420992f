/**
 * Lint over the real dumps of the corpus: each dump placed on a node of a small
 * topology (its iptables, routes, ip rules or interfaces), linted. No lint error
 * may come out of a real dump, except where the dump itself is cut short (listed
 * below with the error it must raise, so the list cannot go stale silently). A
 * dump whose format a node cannot carry is reported as skipped, with why; one
 * whose format is not recognised fails.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat } from '../../../src/core/parse/text/detect';
import { loadCluster } from '../../../src/core/build/load';
import { CORPUS } from '../../fixtures/dirs';
import { lintCluster, isLintCode } from '../../../src/core/lint/index';

const DIRS = ['iptables-kube-proxy', 'iptables-other', 'ipvs', 'routing'];

/**
 * Dumps whose paste leaves out what their lint needs, with the error each must raise.
 * (Excerpts of iptables listings are not here: a jump to a chain a listing does not
 * show is only a warning, since a listing may be partial.)
 */
const BROKEN: Record<string, string[]> = {
  // `ip route` on a kind node with the connected 172.18.0.0/16 route cut from the paste,
  // and the node's addresses not given: nothing shows the gateways are on link.
  'kindnet-kind-tkng-node-worker2.ip-route-and-veth-addrs.txt': ['next-hop-not-on-link'],
};

function tableOf(file: string): string {
  return /t-nat|-nat\b|nat-/.test(file) ? 'nat' : 'filter';
}

/** Formats a node of the topology cannot carry, so lint has nothing of theirs to check; reported as skipped. */
const NOT_ON_A_NODE: Record<string, string> = {
  ipvsadm: 'ipvsadm output is not a topology field (IPVS is not simulated)',
  ipset: 'ipset lists are not a topology field',
};

function topologyFor(file: string, format: string): string | undefined {
  const ref = `{file: dump.txt}`;
  let extra: string;
  if (format === 'iptables-save') extra = `      iptables: ${ref}\n`;
  else if (format === 'iptables-list' || format === 'iptables-S') extra = `      iptables:\n        ${tableOf(file)}: ${ref}\n`;
  else if (format === 'route-n' || format === 'ip-route') extra = `      routes: ${ref}\n`;
  else if (format === 'ip-rule') extra = `      ipRules: ${ref}\n`;
  else if (format === 'ip-addr' || format === 'ifconfig' || format === 'ip-link') extra = `      interfaces: ${ref}\n`;
  else return undefined;
  return `apiVersion: kube-netsim/v1
kind: Cluster
metadata: {name: corpus}
spec:
  nodes:
    - name: n0
      ip: 10.240.0.4
      podCIDR: 10.244.0.0/24
${extra}`;
}

describe('lint over every corpus dump', () => {
  for (const dir of DIRS) {
    for (const name of readdirSync(join(CORPUS, dir)).filter((f) => !f.endsWith('.json'))) {
      const text = readFileSync(join(CORPUS, dir, name), 'utf8');
      const format = detectFormat(text);
      const topo = format ? topologyFor(name, format) : undefined;
      if (format && NOT_ON_A_NODE[format]) {
        it(`${dir}/${name} (${format})`, { skip: NOT_ON_A_NODE[format] }, () => {});
        continue;
      }
      if (!topo) {
        // A dump whose format is not recognised, or one this test does not know how to place, is a gap to fix, not to pass over.
        it(`${dir}/${name} (${format ?? 'format not detected'})`, () => {
          assert.fail(format ? `no way to place a ${format} dump on a node: add it to topologyFor or NOT_ON_A_NODE` : 'detectFormat does not recognise this dump');
        });
        continue;
      }
      it(`${dir}/${name} (${format})`, () => {
        const loaded = loadCluster(topo, 'corpus.netsim.yaml', { read: (p) => (p === 'dump.txt' ? { text } : { error: 'no such file' }) });
        const errors = lintCluster(loaded).filter((i) => i.severity === 'error' && isLintCode(i.code)).map((i) => `${i.code} line ${i.span.line}: ${i.message}`);
        const expected = BROKEN[name] ?? [];
        assert.deepEqual([...new Set(errors.map((e) => e.split(' ')[0]))].sort(), [...expected].sort(), errors.join('\n'));
      });
    }
  }
});
