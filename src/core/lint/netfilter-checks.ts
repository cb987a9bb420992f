/**
 * Checks over one host's netfilter rules: jumps to chains that do not exist,
 * jump cycles, chains nobody uses, jumps to empty chains, rules no packet can
 * reach (shadowed, in the manner of Batfish's filterLineReachability),
 * `statistic` cascades that do not split traffic the way they look, and the
 * REJECT kube-proxy writes for a Service without endpoints.
 */
import type { Issue, Origin } from '../source';
import type { Chain, Rule, Table } from '../model/netfilter';
import { BUILTIN_CHAINS, BUILTIN_TARGETS } from '../model/netfilter';
import { opt } from '../sim/match-values';
import type { Host } from '../model/cluster';
import { lintIssue } from './lint-issue';
import { parsePrefix, covers } from '../net/ipv4';

/** Targets provided by kernel extensions: a rule naming one of these does not jump to a chain. */
const EXTENSION_TARGETS: ReadonlySet<string> = new Set([
  'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP', 'REJECT', 'MARK', 'CONNMARK', 'LOG', 'NFLOG', 'ULOG',
  'NOTRACK', 'CT', 'TRACE', 'TPROXY', 'CHECKSUM', 'TCPMSS', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HMARK', 'SET',
  'IDLETIMER', 'LED', 'SECMARK', 'CONNSECMARK', 'SYNPROXY', 'TEE', 'RATEEST', 'AUDIT', 'CLUSTERIP', 'NFQUEUE', 'QUEUE',
]);

/** Targets after which no later rule of the chain sees the packet. */
const TERMINAL_TARGETS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'QUEUE', 'NFQUEUE']);

/** Match modules whose outcome varies from packet to packet, so a rule using them shadows nothing. */
const VOLATILE_MODULES: ReadonlySet<string> = new Set(['statistic', 'limit', 'hashlimit', 'recent', 'connlimit', 'quota', 'time', 'nth', 'random']);

/** Whether a rule's target is a jump (or goto) to a user chain rather than a verdict or extension. */
export function jumpsToChain(rule: Rule): string | undefined {
  const t = rule.target;
  if (!t || BUILTIN_TARGETS.has(t.name) || EXTENSION_TARGETS.has(t.name)) return undefined;
  return t.name;
}

/** Context for one host's checks. */
interface HostCtx {
  host: Host;
  file: string;
  origin(table: string, chain: string, index: number): Origin | undefined;
  issues: Issue[];
}

/** Runs every netfilter check on a host's rules. */
export function checkNetfilter(host: Host, fallbackFile: string): Issue[] {
  const nf = host.netfilter;
  if (!nf) return [];
  const ctx: HostCtx = {
    host,
    file: fallbackFile,
    origin: (table, chain, index) => nf.origins.get(`${table}/${chain}/${index}`) ?? host.origin,
    issues: [],
  };
  // Rules generated from `services:` are kube-proxy's structure, not the user's: hygiene
  // findings on them (empty KUBE-NODEPORTS, …) would point at nothing the user wrote.
  if (nf.generated) return [];
  for (const table of nf.ruleset.tables.values()) {
    checkJumps(ctx, table);
    checkCycles(ctx, table);
    for (const chain of table.chains.values()) {
      checkShadowed(ctx, table, chain);
      checkCascade(ctx, table, chain);
      checkServiceReject(ctx, table, chain);
    }
  }
  return ctx.issues;
}

function chainOrigin(ctx: HostCtx, table: Table, chain: Chain): Origin | undefined {
  return chain.rules.length ? ctx.origin(table.name, chain.name, 1) : ctx.host.origin;
}

function checkJumps(ctx: HostCtx, table: Table): void {
  const referenced = new Set<string>();
  for (const chain of table.chains.values()) {
    for (const rule of chain.rules) {
      const to = jumpsToChain(rule);
      if (!to) continue;
      referenced.add(to);
      const target = table.chains.get(to);
      if (!target) {
        // iptables-restore input with --noflush may jump to chains it does not declare.
        if (ctx.host.netfilter?.ruleset.partial) continue;
        const listing = ctx.host.netfilter?.ruleset.format === 'iptables-list';
        const issue = lintIssue('undefined-chain', ctx.origin(table.name, chain.name, rule.index), ctx.file, listing
          ? `${ctx.host.id}: ${table.name} ${chain.name} rule ${rule.index} jumps to ${to}, which the listing does not show: either the paste is an excerpt, or the kernel would refuse this ruleset`
          : `${ctx.host.id}: ${table.name} ${chain.name} rule ${rule.index} jumps to ${to}, which is never declared: the kernel would refuse this ruleset`);
        // A listing may be a partial paste; only a full save dump proves the chain is missing.
        if (listing) issue.severity = 'warning';
        ctx.issues.push(issue);
      } else if (target.rules.length === 0 && !BUILTIN_CHAINS[table.name]?.includes(to)) {
        ctx.issues.push(lintIssue('empty-chain-jump', ctx.origin(table.name, chain.name, rule.index), ctx.file, `${ctx.host.id}: ${table.name} ${chain.name} rule ${rule.index} jumps to ${to}, which has no rules (the jump does nothing)`));
      }
    }
  }
  const builtins = BUILTIN_CHAINS[table.name] ?? [];
  for (const chain of table.chains.values()) {
    if (builtins.includes(chain.name) || referenced.has(chain.name) || chain.policy !== undefined) continue;
    ctx.issues.push(lintIssue('unused-chain', chainOrigin(ctx, table, chain), ctx.file, `${ctx.host.id}: ${table.name} chain ${chain.name} is never jumped to: its ${chain.rules.length} rule(s) see no packet`));
  }
}

function checkCycles(ctx: HostCtx, table: Table): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    const chain = table.chains.get(name);
    for (const rule of chain?.rules ?? []) {
      const to = jumpsToChain(rule);
      if (!to || !table.chains.has(to)) continue;
      const s = state.get(to);
      if (s === 'visiting') {
        ctx.issues.push(lintIssue('jump-cycle', ctx.origin(table.name, name, rule.index), ctx.file, `${ctx.host.id}: ${table.name} ${name} rule ${rule.index} jumps back to ${to}, closing a loop of chain jumps (the kernel rejects such a ruleset)`));
      } else if (s === undefined) {
        visit(to);
      }
    }
    state.set(name, 'done');
  };
  for (const name of table.chains.keys()) if (!state.has(name)) visit(name);
}

/** Canonical text of one rule condition, for comparing conditions between rules. */
function conditions(rule: Rule): Map<string, string> | undefined {
  if (rule.unknown?.some((u) => u === 'inInterface' || u === 'outInterface')) return undefined;
  const out = new Map<string, string>();
  const put = (k: string, v: { negated: boolean; value: unknown } | undefined) => { if (v) out.set(k, `${v.negated ? '!' : ''}${String(v.value)}`); };
  put('-p', rule.protocol && rule.protocol.value !== 'all' ? rule.protocol : undefined);
  put('-s', rule.source && !isAny(rule.source.value) ? rule.source : undefined);
  put('-d', rule.destination && !isAny(rule.destination.value) ? rule.destination : undefined);
  put('-i', rule.inInterface && rule.inInterface.value !== '+' ? rule.inInterface : undefined);
  put('-o', rule.outInterface && rule.outInterface.value !== '+' ? rule.outInterface : undefined);
  put('-f', rule.fragment);
  for (const m of rule.matches) {
    if (m.module === 'comment') continue;
    if (VOLATILE_MODULES.has(m.module)) return undefined;
    for (const o of m.options) out.set(`${m.module} ${o.name}`, `${o.negated ? '!' : ''}${o.values.join(' ')}`);
    if (m.options.length === 0) out.set(`-m ${m.module}`, '');
  }
  return out;
}

function isAny(v: string): boolean {
  return v === '0.0.0.0/0' || v === 'anywhere' || v === '0/0';
}

/** Whether every packet `later` matches is also matched by `earlier` (conservative: true only when provable). */
function subsumes(earlier: Map<string, string>, later: Map<string, string>): boolean {
  for (const [k, v] of earlier) {
    const w = later.get(k);
    if (w === v) continue;
    if ((k === '-s' || k === '-d') && w !== undefined && !v.startsWith('!') && !w.startsWith('!')) {
      const a = parsePrefix(v);
      const b = parsePrefix(w);
      if (a && b && covers(a, b)) continue;
    }
    return false;
  }
  return true;
}

function checkShadowed(ctx: HostCtx, table: Table, chain: Chain): void {
  // Earlier terminal rules with their conditions; a long kube-proxy chain is
  // linear in rules, so cap the pairwise work for huge chains.
  const blockers: { rule: Rule; cond: Map<string, string> }[] = [];
  for (const rule of chain.rules) {
    // Conditions are only needed to compare with an earlier blocker or to become one.
    const terminal = !!rule.target && (rule.target.goto || TERMINAL_TARGETS.has(rule.target.name));
    if (blockers.length === 0 && !terminal) continue;
    const cond = conditions(rule);
    if (cond && blockers.length < 400) {
      const blocker = blockers.find((b) => subsumes(b.cond, cond));
      if (blocker) {
        const at = ctx.origin(table.name, chain.name, rule.index);
        ctx.issues.push(lintIssue('shadowed-rule', at, ctx.file,
          `${ctx.host.id}: ${table.name} ${chain.name} rule ${rule.index} can never match: rule ${blocker.rule.index} (${blocker.rule.target?.name}) before it takes every packet it would`,
          [{ message: `the blocking rule (${table.name} ${chain.name} rule ${blocker.rule.index})`, origin: ctx.origin(table.name, chain.name, blocker.rule.index) }]));
        continue;
      }
    }
    if (cond && terminal) blockers.push({ rule, cond });
  }
}

function probabilityOf(rule: Rule): number | undefined {
  const m = rule.matches.find((x) => x.module === 'statistic');
  if (!m) return undefined;
  const mode = opt(m, '--mode')?.values[0];
  if (mode === 'random') return Number(opt(m, '--probability')?.values[0] ?? NaN);
  if (mode === 'nth') return 1 / Number(opt(m, '--every')?.values[0] ?? NaN);
  return undefined;
}

function checkCascade(ctx: HostCtx, table: Table, chain: Chain): void {
  // A kube-proxy KUBE-SVC/KUBE-SVL chain: statistic rules jumping to endpoint
  // chains, ending with an unconditional jump. Each endpoint should get 1/n.
  const branches: { rule: Rule; share: number }[] = [];
  let remaining = 1;
  let sawStatistic = false;
  for (const rule of chain.rules) {
    const to = jumpsToChain(rule);
    if (!to || !to.startsWith('KUBE-SEP-')) continue;
    const p = probabilityOf(rule);
    if (p !== undefined) sawStatistic = true;
    const onlyStatistic = rule.matches.every((m) => m.module === 'statistic' || m.module === 'comment') && !rule.source && !rule.destination;
    if (!onlyStatistic && p === undefined) continue;
    const share = remaining * (p === undefined ? 1 : Number.isFinite(p) ? p : 0);
    branches.push({ rule, share });
    remaining -= share;
    if (p === undefined) break;
  }
  if (!sawStatistic || branches.length < 2) return;
  const n = branches.length;
  const dead = branches.filter((b) => b.share < 1e-12);
  const uneven = branches.some((b) => Math.abs(b.share - 1 / n) > 1e-6);
  const at = ctx.origin(table.name, chain.name, branches[0].rule.index);
  const shares = branches.map((b) => `${jumpsToChain(b.rule)} ${(b.share * 100).toFixed(2)}%`).join(', ');
  if (dead.length) {
    ctx.issues.push(lintIssue('probability-cascade', ctx.origin(table.name, chain.name, dead[0].rule.index), ctx.file, `${ctx.host.id}: ${table.name} ${chain.name}: endpoint ${jumpsToChain(dead[0].rule)} can never be chosen (${shares})`));
  } else if (remaining > 1e-9) {
    ctx.issues.push(lintIssue('probability-cascade', at, ctx.file, `${ctx.host.id}: ${table.name} ${chain.name}: ${(remaining * 100).toFixed(2)}% of packets fall through the statistic cascade without choosing an endpoint (${shares})`));
  } else if (uneven) {
    ctx.issues.push(lintIssue('probability-cascade', at, ctx.file, `${ctx.host.id}: ${table.name} ${chain.name} splits traffic unevenly over its ${n} endpoints: ${shares}`));
  }
}

function checkServiceReject(ctx: HostCtx, table: Table, chain: Chain): void {
  for (const rule of chain.rules) {
    if (rule.target?.name !== 'REJECT') continue;
    const comment = rule.matches.find((m) => m.module === 'comment');
    const text = comment ? opt(comment, '--comment')?.values.join(' ') ?? '' : '';
    const m = /^(\S+) has no endpoints$/.exec(text.trim());
    if (!m) continue;
    ctx.issues.push(lintIssue('service-without-endpoints', ctx.origin(table.name, chain.name, rule.index), ctx.file,
      `${ctx.host.id}: Service ${m[1]} has no endpoints: kube-proxy rejects connections to ${rule.destination?.value ?? 'it'}`));
  }
}
