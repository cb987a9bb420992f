/**
 * Longest-prefix match for both families: values stored under prefixes, looked
 * up by address, the most specific covering prefix first — what a FIB does with
 * a route table. Per family and prefix length one hash map keyed by the masked
 * address, probed from the longest length present down: a lookup costs at most
 * one probe per distinct length in the table (a handful in a real route table).
 */
import type { Addr, Family } from './addr';
import { maskAddr, type Prefix } from './prefix';

interface Level<V> {
  len: number;
  /** By network: its 32-bit value for IPv4 (no address object built per probe), the interned address for IPv6. */
  byNet: Map<number | Addr, { prefix: Prefix; value: V }>;
}

/** The key of `a`'s network at length `len`. */
function netKey(a: Addr, len: number): number | Addr {
  if (a.family === 'ipv4') return len === 0 ? 0 : (a.w3 & (0xffffffff << (32 - len))) >>> 0;
  return maskAddr(a, len);
}

/** A map from prefixes to values with longest-prefix lookup. */
export class PrefixMap<V> {
  private readonly levels: Record<Family, Level<V>[]> = { ipv4: [], ipv6: [] };
  private count = 0;

  /** Number of prefixes stored. */
  get size(): number {
    return this.count;
  }

  /** Stores `value` under `p` (replacing what was there). */
  set(p: Prefix, value: V): this {
    const levels = this.levels[p.addr.family];
    let lv = levels.find((l) => l.len === p.len);
    if (!lv) {
      lv = { len: p.len, byNet: new Map() };
      levels.push(lv);
      levels.sort((a, b) => b.len - a.len);
    }
    const key = netKey(p.addr, p.len);
    if (!lv.byNet.has(key)) this.count++;
    lv.byNet.set(key, { prefix: { addr: maskAddr(p.addr, p.len), len: p.len }, value });
    return this;
  }

  /** The value stored under exactly `p`. */
  get(p: Prefix): V | undefined {
    const lv = this.levels[p.addr.family].find((l) => l.len === p.len);
    return lv?.byNet.get(netKey(p.addr, p.len))?.value;
  }

  /** The entry of the longest stored prefix that contains `a`. */
  lookup(a: Addr): { prefix: Prefix; value: V } | undefined {
    for (const lv of this.levels[a.family]) {
      const hit = lv.byNet.get(netKey(a, lv.len));
      if (hit) return hit;
    }
    return undefined;
  }

  /** Every stored prefix that contains `a`, longest first. */
  *matches(a: Addr): IterableIterator<{ prefix: Prefix; value: V }> {
    for (const lv of this.levels[a.family]) {
      const hit = lv.byNet.get(netKey(a, lv.len));
      if (hit) yield hit;
    }
  }
}
