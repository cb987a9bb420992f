/**
 * `nftables:` of a topology entry: `nft list ruleset` output (with or without
 * `-a`, `-s`) or `nft -f` input, pasted or `{file: …}`, parsed with the nft
 * parser; its issues are placed in the file the text sits in.
 */
import type { Node } from 'yaml';
import type { NftRuleset } from '../../model/nftables';
import { parseNftRuleset } from '../nft/parse-nft-ruleset';
import type { Parsed } from '../../model/topology';
import { type SourceContext, placeIssues, resolveSource } from './topology-sources';
import { guarded } from './topology-guard';

/** `nftables:` → NftRuleset. */
export function readNftables(sc: SourceContext, node: Node | null, what: string): Parsed<NftRuleset> | undefined {
  const src = resolveSource(sc, node, `${what} nftables`);
  if (!src) return undefined;
  const r = guarded('parseNftRuleset', (): NftRuleset => ({ tables: new Map() }), () => parseNftRuleset(src.text));
  placeIssues(sc.yaml, r.issues, src);
  return { value: r.value, source: src };
}
