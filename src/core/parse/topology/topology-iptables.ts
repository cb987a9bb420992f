/**
 * One iptables source of a topology entry, in whichever format it was pasted:
 * `iptables-save` (all tables, or one), `iptables -S`, or an `iptables -L`
 * listing. A listing and `-S` output do not name their table, so the table comes
 * from the `iptables:` map key (`nat: |`), or is taken as `filter` as iptables does.
 */
import type { Issue } from '../../source';
import type { Ruleset } from '../../model/netfilter';
import { detectFormat } from '../text/detect';
import { parseIptablesSave as saveParser } from '../iptables/parse-iptables-save';
import { parseIptablesS as sParser } from '../iptables/parse-iptables-s';
import { parseIptablesList as listParser } from '../iptables/parse-iptables-list';
import { guarded } from './topology-guard';

/** The netfilter tables an `iptables:` map may name. */
export const IPTABLES_TABLES: readonly string[] = ['filter', 'nat', 'mangle', 'raw', 'security'];

/** Which iptables format a text is in; falls back to a structural sniff when the shared detector has no answer. */
export function iptablesFormat(text: string): 'iptables-save' | 'iptables-S' | 'iptables-list' | undefined {
  const f = detectFormat(text);
  if (f === 'iptables-save' || f === 'iptables-S' || f === 'iptables-list') return f;
  if (f !== undefined) return undefined;
  if (/^\*[a-z]+\s*$/m.test(text) || /^:\S+ \S+ \[\d+:\d+\]/m.test(text)) return 'iptables-save';
  if (/^Chain \S+ \((?:policy \w+|\d+ references?)/m.test(text)) return 'iptables-list';
  if (/^-[PAN] \S+/m.test(text)) return 'iptables-S';
  return undefined;
}

/** Parses one iptables source; `misplaced` explains a format that does not fit where it was given. */
export function parseIptablesSource(text: string, table: string | undefined): { value: Ruleset; issues: Issue[]; misplaced?: string } {
  const format = iptablesFormat(text);
  const empty = (): Ruleset => ({ tables: new Map(), format: format ?? 'iptables-save' });
  const parseIptablesList = (t: string, o: { table: string }) => guarded('parseIptablesList', empty, () => listParser(t, o));
  const parseIptablesS = (t: string, o: { table: string }) => guarded('parseIptablesS', empty, () => sParser(t, o));
  const parseIptablesSave = (t: string) => guarded('parseIptablesSave', empty, () => saveParser(t));
  if (format === 'iptables-list') {
    const r = parseIptablesList(text, { table: table ?? 'filter' });
    return table ? r : { ...r, misplaced: 'a listing does not say its table; it is read as filter. Give it under a table key (nat: |) instead' };
  }
  if (format === 'iptables-S') {
    const r = parseIptablesS(text, { table: table ?? 'filter' });
    return table ? r : { ...r, misplaced: '-S output does not say its table; it is read as filter. Give it under a table key (nat: |) instead' };
  }
  const r = parseIptablesSave(text);
  if (format === undefined) return { ...r, misplaced: 'the text does not look like iptables-save, -S or -L output' };
  if (table && r.value.tables.size > 0 && !r.value.tables.has(table)) return { ...r, misplaced: `the dump holds no *${table} table` };
  return r;
}
