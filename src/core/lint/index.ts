/**
 * Lint: every diagnostic the editor shows and `kube-netsim lint` prints for a
 * topology, beyond what the parsers report — reachability between address
 * classes, route sanity, topology consistency, and netfilter hygiene.
 */
import type { Issue, Severity } from '../source';
import type { LoadedCluster } from '../build/load';
import { checkNetfilter } from './netfilter-checks';
import { checkNftables } from './nft-checks';
import { checkTopology } from './topology-checks';
import { checkRoutes } from './routing-checks';
import { checkReachability } from './reachability';
import { checkDns } from './dns-checks';
import { LINT_CODES } from './lint-issue';

export { LINT_CODES } from './lint-issue';
export type { LintCode } from './lint-issue';

/** Options: per-code severity overrides (`off` silences a code), as the editor's settings give them. */
export interface LintOptions {
  severities?: Record<string, Severity | 'off'>;
}

/** Runs every lint check over a loaded topology. Never throws. */
export function lintCluster(loaded: LoadedCluster, opts: LintOptions = {}): Issue[] {
  const { topology, cluster } = loaded;
  const issues: Issue[] = [];
  const run = (name: string, f: () => Issue[]) => {
    try {
      issues.push(...f());
    } catch (e) {
      issues.push({ code: 'lint-internal-error', severity: 'warning', file: topology.file, span: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `lint check ${name} failed (a bug): ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  run('topology', () => checkTopology(topology, cluster));
  run('routes', () => checkRoutes(cluster, topology.file));
  for (const host of cluster.hosts.values()) run(`netfilter ${host.id}`, () => checkNetfilter(host, topology.file));
  for (const host of cluster.hosts.values()) if (host.nftables) run(`nftables ${host.id}`, () => checkNftables(host, topology.file));
  run('reachability', () => checkReachability(topology, cluster));
  run('dns', () => checkDns(topology, cluster));
  const sev = opts.severities ?? {};
  return issues
    .filter((i) => sev[i.code] !== 'off')
    .map((i) => (sev[i.code] && sev[i.code] !== 'off' ? { ...i, severity: sev[i.code] as Severity } : i));
}

/** Whether `code` is a lint code (as opposed to a parser's). */
export function isLintCode(code: string): boolean {
  return code in LINT_CODES;
}
