/**
 * The stub resolver model against the real ones: glibc (`getent ahosts` =
 * getaddrinfo AF_UNSPEC, `getent hosts`) and musl (getaddrinfo, built with
 * musl-gcc) resolve names in a private network namespace against a responder
 * that answers from the same records as the simulator; the query sequence
 * (names, types, transport, in order; A/AAAA of one candidate as a pair) and
 * the addresses must match the prediction of resolveName.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolveName } from '../../src/core/dns/resolve';
import { formatIPv4 } from '../../src/core/net/ipv4';
import type { LookupKind } from '../../src/core/dns/stub-resolver';
import type { Cluster } from '../../src/core/model/cluster';
import type { Outcome } from '../../src/core/sim/types';
import { seedCluster } from '../core/dns/fixture';
import { RESPONDER, skipReason, withNetns, type LoggedQuery, type Netns } from './netns';

const DNS: Cluster['dns'] = { upstream: { 'example.com': ['93.184.216.34'], 'db.example.com': ['192.0.2.10'] } };
const BASE = 'default.svc.cluster.local svc.cluster.local cluster.local';
const conf = (search: string, options: string): string => `nameserver ${RESPONDER}\nsearch ${search}\noptions ${options} timeout:1 attempts:1\n`;

/** The query reaches a kube-dns pod and its reply comes back: what the seed's kube-proxy rules give. */
const delivered = (): Outcome[] => [{
  probability: 1, disposition: 'delivered', at: 'k8s-agent-0', hops: [],
  delivered: { ip: '10.244.0.2', port: 53, pod: 'kube-system/kube-dns-v20-3003781527-lc299' },
  reply: { disposition: 'delivered', at: 'default/ubuntu', hops: [], matchesRequest: true },
}];
const dropped = (): Outcome[] => [{ probability: 1, disposition: 'dropped', at: 'k8s-agent-0', hops: [] }];

interface Case {
  conf: string;
  name: string;
  tool: 'ahosts' | 'hosts' | 'musl';
  /** Every query is lost (the responder is silent). */
  lost?: boolean;
  /** Nameservers that are silent; the others answer. Queries are then compared per nameserver. */
  silent?: string[];
}
const CASES: Case[] = [
  ...['ahosts', 'hosts', 'musl'].flatMap((tool) => [
    { conf: conf(BASE, 'ndots:5'), name: 'kubernetes' },
    { conf: conf(BASE, 'ndots:5'), name: 'kube-dns.kube-system' },
    { conf: conf(BASE, 'ndots:5'), name: 'kube-dns.kube-system.svc.cluster.local' },
    { conf: conf(BASE, 'ndots:5'), name: 'kube-dns.kube-system.svc.cluster.local.' },
    { conf: conf(BASE, 'ndots:5'), name: 'x.kube-dns.kube-system.svc.cluster.local' },
    { conf: conf(BASE, 'ndots:5'), name: 'example.com' },
    { conf: conf(BASE, 'ndots:5'), name: 'web' },
    { conf: conf(BASE, 'ndots:5'), name: 'db.web' },
    { conf: conf(BASE, 'ndots:5'), name: 'nowhere.example' },
    { conf: conf(BASE, 'ndots:1'), name: 'kube-dns.kube-system' },
    { conf: conf(BASE, 'ndots:1'), name: 'example.com' },
    { conf: conf(BASE, 'ndots:1'), name: 'kubernetes' },
    { conf: conf(`corp.example eng.corp.example web.svc.cluster.local ${BASE}`, 'ndots:5'), name: 'frontend' },
    { conf: conf(`corp.example eng.corp.example web.svc.cluster.local ${BASE}`, 'ndots:5'), name: 'kubernetes.default' },
    { conf: conf(BASE, 'ndots:5 single-request'), name: 'kube-dns.kube-system' },
    { conf: conf(BASE, 'ndots:5 use-vc'), name: 'kube-dns.kube-system' },
    { conf: conf(BASE, 'ndots:5'), name: 'kube-dns.kube-system', lost: true },
  ].map((c) => ({ ...c, tool: tool as Case['tool'] }))),
];

/** Groups consecutive queries for one name so that A/AAAA sent in parallel compare as a pair. */
function pairs(qs: { name: string; type: string; transport?: string }[]): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < qs.length) {
    let j = k;
    while (j < qs.length && qs[j].name === qs[k].name && (j === k || qs[j].type !== qs[k].type)) j++;
    out.push(`${qs[k].name} ${qs.slice(k, j).map((q) => q.type).sort().join('+')} ${qs[k].transport ?? 'udp'}`);
    k = j;
  }
  return out;
}

function addressesOf(tool: Case['tool'], stdout: string): string[] {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('error'));
  const first = lines.map((l) => l.trim().split(/\s+/)[0]);
  return [...new Set(tool === 'hosts' ? first.slice(0, 1) : first)].sort();
}

const LOOKUP: Record<Case['tool'], LookupKind> = { ahosts: 'getaddrinfo', hosts: 'getent-hosts', musl: 'getaddrinfo' };

async function runCase(ns: Netns, c: Case, muslBin: string | undefined, t: { diagnostic(m: string): void }): Promise<void> {
  const cluster = seedCluster({ ubuntuResolv: c.conf, ubuntu: c.tool === 'musl' ? { resolver: 'musl' } : {}, dns: DNS });
  const silent = new Set(c.silent ?? []);
  const tracer = (_c: Cluster, f: { dst: number }): Outcome[] => (c.lost || silent.has(formatIPv4(f.dst)) ? dropped() : delivered());
  const predicted = resolveName(cluster, 'default/ubuntu', c.name, { lookup: LOOKUP[c.tool], tracer });
  ns.setResolvConf(c.conf);
  ns.resetLog();
  const cmd = c.tool === 'musl' ? [muslBin!, c.name] : ['getent', c.tool, c.name];
  const r = await ns.run(cmd);
  const seen: LoggedQuery[] = ns.queries();
  const label = `${cmd.join(' ')} with ${c.conf.trim().split('\n').slice(1).join('; ')}`;
  t.diagnostic(`${label}: ${seen.length} queries`);
  if (c.silent) {
    // Several responders log from separate processes: compare what each nameserver received, in order.
    for (const server of new Set([...predicted.queries.map((q) => q.server!), ...seen.map((q) => q.server)])) {
      assert.deepEqual(pairs(predicted.queries.filter((q) => q.server === server)), pairs(seen.filter((q) => q.server === server)), `${label} @${server}`);
    }
  } else assert.deepEqual(pairs(predicted.queries), pairs(seen), label);
  assert.deepEqual(predicted.resolved.filter((a) => c.tool !== 'hosts' || a === addressesOf(c.tool, r.stdout)[0]).slice(0, c.tool === 'hosts' ? 1 : undefined).sort(), addressesOf(c.tool, r.stdout), label);
  assert.equal(r.status === 0, predicted.resolved.length > 0, label);
}

const skip = skipReason();
const musl = spawnSync('musl-gcc', ['--version']).error === undefined;

void test('glibc and musl stub resolvers send what the simulator predicts', { skip, timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kns-musl-'));
  const muslBin = join(dir, 'getaddrinfo');
  try {
    const built = musl && spawnSync('musl-gcc', ['-static', '-O1', '-o', muslBin, join(__dirname, 'musl-getaddrinfo.c')]).status === 0;
    if (!built) t.diagnostic('musl-gcc missing or failed: musl cases skipped');
    await withNetns({ ipv6: false, dns: DNS }, async (ns) => {
      for (const c of CASES) {
        if (c.lost || (c.tool === 'musl' && !built)) continue;
        await runCase(ns, c, muslBin, t);
      }
    });
    // Every query lost: glibc gives up the search list after the first timeout but still asks the name as is; musl stops.
    await withNetns({ ipv6: false, dns: DNS, drop: ['*'] }, async (ns) => {
      for (const c of CASES) {
        if (!c.lost || (c.tool === 'musl' && !built) || c.tool === 'hosts') continue;
        await runCase(ns, c, muslBin, t);
      }
    });
    // Two nameservers, the first silent: glibc waits for it, then asks the second, for every candidate and attempt; musl asks both at once.
    const SILENT = '10.99.0.3';
    await withNetns({ ipv6: false, dns: DNS, extra: [{ address: SILENT, drop: ['*'] }] }, async (ns) => {
      const two = `nameserver ${SILENT}\nnameserver ${RESPONDER}\nsearch ${BASE}\noptions ndots:5 timeout:1 attempts:2\n`;
      for (const tool of built ? ['ahosts', 'musl'] as const : ['ahosts'] as const) {
        for (const name of ['kube-dns.kube-system', 'web']) await runCase(ns, { conf: two, name, tool, silent: [SILENT] }, muslBin, t);
      }
    });
    // With a global IPv6 address too (AI_ADDRCONFIG satisfied either way): the same pairs.
    await withNetns({ ipv6: true, dns: DNS }, async (ns) => {
      await runCase(ns, { conf: conf(BASE, 'ndots:5'), name: 'kube-dns.kube-system', tool: 'ahosts' }, muslBin, t);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
