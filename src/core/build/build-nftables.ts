/**
 * A host's nftables state from its `nftables:` dump. Tables iptables-nft made
 * (`# Warning: table ip nat is managed by iptables-nft`, or `xt` statements)
 * hold the same rules as an `iptables:` dump of the same host: when both are
 * given, the iptables dump is used and those tables are not run a second time.
 */
import type { NftRuleset, NftTable } from '../model/nftables';
import type { NftState } from '../model/cluster';
import type { Parsed } from '../model/topology';

/** The NftState of a machine with `nftables:` (and maybe `iptables:`). */
export function dumpNftables(nft: Parsed<NftRuleset>, hasIptablesDump: boolean): NftState {
  const replacedByIptables = new Set<string>();
  if (hasIptablesDump) {
    for (const [key, t] of nft.value.tables) if (t.iptablesNft || usesXt(t)) replacedByIptables.add(key);
  }
  return { ruleset: nft.value, placement: nft.source.placement, replacedByIptables };
}

function usesXt(t: NftTable): boolean {
  for (const c of t.chains.values()) for (const r of c.rules) if (r.stmts.some((s) => s.kind === 'xt')) return true;
  return false;
}
