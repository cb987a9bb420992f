/**
 * What runs at one netfilter hook of a host, in the kernel's order: iptables'
 * tables at their fixed priorities (raw -300, mangle -150, nat -100 before
 * routing and 100 after, filter 0, security 50), connection tracking at -200,
 * and every nftables base chain of an `ip` or `inet` table registered at that
 * hook, at its own priority. Hooks of equal priority run in the order they
 * were registered, which a dump does not show: iptables' tables are put
 * first, and the trace says so when that choice matters.
 */
import type { NftChain, NftTable } from '../model/nftables';
import type { Host } from '../model/cluster';
import type { HookName } from './match-context';

/** Where conntrack looks the packet up (NF_IP_PRI_CONNTRACK). */
export const CONNTRACK_PRIORITY = -200;

/** One thing that runs at a hook. `nat` stages are consulted for the first packet of a connection only. */
export type HookStage =
  | { kind: 'iptables'; priority: number; table: string; nat: boolean }
  | { kind: 'nft'; priority: number; table: NftTable; chain: NftChain; nat: boolean };

const IPTABLES: Record<HookName, readonly string[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter', 'security'],
  INPUT: ['mangle', 'filter', 'security', 'nat'],
  FORWARD: ['mangle', 'filter', 'security'],
  POSTROUTING: ['mangle', 'nat'],
};

function iptablesPriority(table: string, hook: HookName): number {
  switch (table) {
    case 'raw': return -300;
    case 'mangle': return -150;
    case 'nat': return hook === 'PREROUTING' || hook === 'OUTPUT' ? -100 : 100;
    case 'security': return 50;
    default: return 0;
  }
}

/** The stages of `hook` on `host`, in the order they run; ties noted in `ties`. */
export function hookStages(host: Host, hook: HookName): { stages: HookStage[]; ties: string[] } {
  const stages: HookStage[] = IPTABLES[hook].map((table) => ({ kind: 'iptables', priority: iptablesPriority(table, hook), table, nat: table === 'nat' }));
  const nft = host.nftables;
  const ties: string[] = [];
  if (nft) {
    const lower = hook.toLowerCase();
    for (const table of nft.ruleset.tables.values()) {
      if (table.family !== 'ip' && table.family !== 'inet') continue;
      if (nft.replacedByIptables.has(`${table.family} ${table.name}`)) continue;
      for (const chain of table.chains.values()) {
        if (chain.hook?.hook !== lower) continue;
        stages.push({ kind: 'nft', priority: chain.hook.priority, table, chain, nat: chain.hook.type === 'nat' });
      }
    }
  }
  // Stable: equal priorities keep iptables' tables first, then nft chains in dump order.
  stages.sort((a, b) => a.priority - b.priority);
  if (nft) {
    const ipt = host.netfilter?.ruleset.tables;
    for (const s of stages) {
      if (s.kind !== 'nft') continue;
      const same = stages.find((o) => o.kind === 'iptables' && o.priority === s.priority && ipt?.get(o.table)?.chains.get(hook)?.rules.length);
      if (same && same.kind === 'iptables') ties.push(`${s.table.family} ${s.table.name} ${s.chain.name} and iptables' ${same.table} table share priority ${s.priority} at ${hookName(hook)}: iptables' table is taken to run first`);
    }
  }
  return { stages, ties };
}

function hookName(h: HookName): string {
  return h.toLowerCase();
}
