/**
 * Where each iptables chain is declared, which rules it holds and which rules
 * jump to it, read straight from the text of an `iptables-save` / `iptables -S`
 * dump or an `iptables -L` listing. Navigation (definition, references, outline,
 * chain hover) needs only positions, so a line scan serves it even on a
 * 46 MB dump, and it keeps working on text the full parser rejects.
 */

/** A place in a text: 0-based line and [start, end) columns on that line. */
export interface TextRange {
  line: number;
  start: number;
  end: number;
}

/** A rule line that jumps (`-j`) or goes (`-g`) to a chain. */
export interface JumpRef {
  /** The chain holding the rule. */
  from: string;
  /** Where the target name is written. */
  range: TextRange;
  /** `-g` instead of `-j`. */
  goto: boolean;
}

/** What the text says about one chain. */
export interface ChainInfo {
  name: string;
  /** Table it belongs to (`*nat` section or the file's table); undefined when the text does not say. */
  table?: string;
  /** Built-in policy (`ACCEPT`/`DROP`) when declared with one. */
  policy?: string;
  /** `:CHAIN …`, `-N CHAIN`, `-P CHAIN …` or `Chain CHAIN (…)`: where the chain name is written. */
  declaration?: TextRange;
  /** Every rule line of the chain, whole line (for the outline) with the chain name's range. */
  rules: { line: number; length: number; text: string }[];
  /** Rules elsewhere whose target is this chain. */
  jumpedFrom: JumpRef[];
}

/** Chains of one dump, keyed `table/chain` (or just the chain name when no table is known). */
export interface ChainIndex {
  /** Format family the scan recognised. */
  style: 'save' | 'list' | 'unknown';
  chains: Map<string, ChainInfo>;
}

/** Key of a chain in the index. */
export function chainKey(table: string | undefined, chain: string): string {
  return table ? `${table}/${chain}` : chain;
}

/** All chains named `name`, whatever their table (a name can exist in nat and filter). */
export function chainsNamed(index: ChainIndex, name: string): ChainInfo[] {
  return [...index.chains.values()].filter((c) => c.name === name);
}

/** Scans a dump's text. Never throws; lines it does not understand are skipped. */
export function indexChains(text: string, fileTable?: string): ChainIndex {
  const lines = text.split(/\r\n|\r|\n/);
  const style = detectStyle(lines);
  const chains = new Map<string, ChainInfo>();
  const get = (table: string | undefined, name: string): ChainInfo => {
    const key = chainKey(table, name);
    let c = chains.get(key);
    if (!c) chains.set(key, (c = { name, table, rules: [], jumpedFrom: [] }));
    return c;
  };
  const jumps: { table: string | undefined; target: string; ref: JumpRef }[] = [];
  if (style === 'save') scanSave(lines, fileTable, get, jumps);
  else if (style === 'list') scanList(lines, fileTable, get, jumps);
  // Jumps are resolved after the scan: a rule may name a chain declared further down.
  for (const j of jumps) {
    const c = chains.get(chainKey(j.table, j.target));
    if (c) c.jumpedFrom.push(j.ref);
  }
  return { style, chains };
}

function detectStyle(lines: string[]): ChainIndex['style'] {
  for (const l of lines.slice(0, 400)) {
    const t = stripPrompt(l);
    if (/^(\*[a-z]+|:[^\s]+ [^\s]+|-[ANP] \S+)/.test(t)) return 'save';
    if (/^Chain \S+ \(/.test(t)) return 'list';
  }
  return 'unknown';
}

// Pasted dumps often keep the shell prompt line; rules never start with `#` or `$`.
function stripPrompt(l: string): string {
  return l.trimStart();
}

type Get = (table: string | undefined, name: string) => ChainInfo;
type Jumps = { table: string | undefined; target: string; ref: JumpRef }[];

function scanSave(lines: string[], fileTable: string | undefined, get: Get, jumps: Jumps): void {
  let table = fileTable;
  lines.forEach((raw, i) => {
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trimStart();
    if (t.startsWith('*')) { table = t.slice(1).trim(); return; }
    let m = /^:(\S+)\s+(\S+)/.exec(t);
    if (m) {
      const c = get(table, m[1]);
      c.declaration = { line: i, start: lead + 1, end: lead + 1 + m[1].length };
      if (m[2] !== '-') c.policy = m[2];
      return;
    }
    m = /^-([NP])\s+(\S+)(?:\s+(\S+))?/.exec(t);
    if (m) {
      const c = get(table, m[2]);
      const start = lead + t.indexOf(m[2], 2);
      if (!c.declaration) c.declaration = { line: i, start, end: start + m[2].length };
      if (m[1] === 'P' && m[3]) c.policy = m[3];
      return;
    }
    m = /^-[AI]\s+(\S+)/.exec(t);
    if (!m) return;
    const chain = m[1];
    get(table, chain).rules.push({ line: i, length: raw.length, text: raw });
    const jm = /(?:^|\s)-([jg])\s+(\S+)/.exec(t);
    if (jm) {
      const start = lead + jm.index + jm[0].length - jm[2].length;
      jumps.push({ table, target: jm[2], ref: { from: chain, goto: jm[1] === 'g', range: { line: i, start, end: start + jm[2].length } } });
    }
  });
}

function scanList(lines: string[], fileTable: string | undefined, get: Get, jumps: Jumps): void {
  let chain: string | undefined;
  let targetCol = -1;
  lines.forEach((raw, i) => {
    const m = /^(\s*)Chain (\S+) \((?:policy (\S+))?/.exec(raw);
    if (m) {
      chain = m[2];
      const c = get(fileTable, chain);
      const start = m[1].length + 'Chain '.length;
      c.declaration = { line: i, start, end: start + chain.length };
      if (m[3]) c.policy = m[3];
      targetCol = -1;
      return;
    }
    if (!chain) return;
    const header = /\btarget\b/.exec(raw);
    if (header && /\bprot\b/.test(raw)) { targetCol = header.index; return; }
    if (!raw.trim() || raw.trim() === '...') return;
    get(fileTable, chain).rules.push({ line: i, length: raw.length, text: raw });
    const target = targetOfListRow(raw, targetCol);
    if (target) jumps.push({ table: fileTable, target: target.text, ref: { from: chain, goto: false, range: { line: i, start: target.start, end: target.start + target.text.length } } });
  });
}

// A listing row is `[num] [pkts bytes] target prot opt …`; the target is the first
// word that is not a number (counters may carry K/M/G suffixes).
function targetOfListRow(raw: string, targetCol: number): { text: string; start: number } | undefined {
  const re = /\S+/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    if (/^\d+[KMGT]?$/.test(m[0])) continue;
    if (targetCol >= 0 && m.index + m[0].length < targetCol - 1) continue;
    // A rule with no target shows its protocol first (`all`, `tcp`): it jumps nowhere.
    if (/^(all|tcp|udp|icmp|sctp|--|0|6|17)$/.test(m[0])) return undefined;
    return { text: m[0], start: m.index };
  }
  return undefined;
}
