/**
 * Where each rule of a host's iptables dump sits in its file, worked out when
 * first asked for. A 10k-Service kube-proxy dump has ~320k rules; a trace reads
 * the origins of a few dozen and lint of a few, so building them all at load
 * would spend time and memory on objects nobody reads.
 */
import type { Origin } from '../../source';
import type { Rule, Table } from '../../model/netfilter';

/** Origins keyed `${table}/${chain}/${index}` (index 1-based), computed per table on demand and cached. */
export class RuleOrigins extends Map<string, Origin> {
  private readonly tables = new Map<string, { table: Table; at: (rule: Rule) => Origin }>();

  /** Registers (or replaces) a table and how to place one of its rules. */
  setTable(name: string, table: Table, at: (rule: Rule) => Origin): void {
    this.tables.set(name, { table, at });
    for (const k of [...super.keys()]) if (k.startsWith(`${name}/`)) super.delete(k);
  }

  /** The origin of a rule, computed the first time it is asked for. */
  override get(key: string): Origin | undefined {
    const hit = super.get(key);
    if (hit) return hit;
    const first = key.indexOf('/');
    const last = key.lastIndexOf('/');
    if (first < 0 || last <= first) return undefined;
    const entry = this.tables.get(key.slice(0, first));
    const rule = entry?.table.chains.get(key.slice(first + 1, last))?.rules[Number(key.slice(last + 1)) - 1];
    if (!entry || !rule) return undefined;
    const origin = entry.at(rule);
    super.set(key, origin);
    return origin;
  }

  /** Whether the key names a rule of a registered table. */
  override has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Every rule's origin (computing the ones not asked for yet), in table and chain order. */
  override *entries(): MapIterator<[string, Origin]> {
    for (const [name, { table }] of this.tables) {
      for (const [chain, c] of table.chains) {
        for (const rule of c.rules) {
          const key = `${name}/${chain}/${rule.index}`;
          yield [key, this.get(key)!];
        }
      }
    }
  }

  override [Symbol.iterator](): MapIterator<[string, Origin]> {
    return this.entries();
  }

  override *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  override *values(): MapIterator<Origin> {
    for (const [, v] of this.entries()) yield v;
  }

  override forEach(fn: (value: Origin, key: string, map: Map<string, Origin>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  override get size(): number {
    let n = 0;
    for (const { table } of this.tables.values()) for (const c of table.chains.values()) n += c.rules.length;
    return n;
  }
}
