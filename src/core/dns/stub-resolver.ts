/**
 * The order in which a pod's stub resolver asks its questions, and when it
 * stops: glibc's `res_search` (what getaddrinfo/gethostbyname use on Debian,
 * Ubuntu, RHEL images) and musl's `name_from_dns_search` (Alpine). The
 * transport (which nameserver, retries, the packet's path) is the caller's
 * `ask`; this file only decides the next name to try from the answers.
 *
 * glibc (resolv/res_query.c, 2.36):
 * - a trailing dot: the name as is, nothing else;
 * - dots ≥ ndots: the name as is first, then the search list;
 * - dots < ndots: the search list, then the name as is (unless a search
 *   domain was the root);
 * - NXDOMAIN and NODATA move to the next candidate; a timeout ends the search
 *   list (the name as is is still tried); "connection refused" from every
 *   nameserver ends everything; A and AAAA (getaddrinfo AF_UNSPEC) travel as
 *   one pair and a candidate succeeds when either has an answer.
 * musl (src/network/lookup_name.c, 1.2.3):
 * - dots ≥ ndots or a trailing dot: the name as is only; otherwise the search
 *   list, then the name as is;
 * - only NXDOMAIN moves on: NODATA (the name exists, no address) and a
 *   timeout end the lookup with an error.
 */
import type { ResolvConf } from '../model/resolv';
import type { DnsQueryResult } from '../sim/types';
import type { RecordType } from './cluster-records';

/** Which C library's stub resolver a pod runs. */
export type ResolverFlavour = 'glibc' | 'musl';

/**
 * Which call asks: `getaddrinfo` with AF_UNSPEC (A and AAAA, what curl, ping and
 * most programs do), `getaddrinfo-inet` (AF_INET: A only), `gethostbyname`
 * (A only), `getent-hosts` (glibc's `getent hosts`: a whole AAAA lookup, then a
 * whole A lookup when that found nothing).
 */
export type LookupKind = 'getaddrinfo' | 'getaddrinfo-inet' | 'gethostbyname' | 'getent-hosts';

/** What came back for one question, after the transport's retries. */
export type QueryAnswer = DnsQueryResult['answer'];

/** The packets sent for one candidate name and the final answer per type. */
export interface Exchange {
  queries: DnsQueryResult[];
  answers: Partial<Record<RecordType, QueryAnswer>>;
}

/** Sends the questions for one candidate name (all `types` together, as one exchange). */
export type Ask = (name: string, types: RecordType[]) => Exchange;

/** The resolver's run: every packet in order, the addresses found, and why not when none. */
export interface StubRun {
  queries: DnsQueryResult[];
  resolved: string[];
  /** The candidate that answered. */
  answeredName?: string;
  /** Why nothing resolved, as a verdict (see DnsResult.unresolved). */
  unresolved?: Unresolved;
  error?: string;
}

/**
 * Why a name gave no address. `upstream-unknown`: the candidates that were not
 * answered NXDOMAIN or NODATA by the cluster's DNS went to an upstream resolver
 * the topology does not model, so whether the name exists is not known here.
 */
export type Unresolved = 'nxdomain' | 'nodata' | 'timeout' | 'refused' | 'upstream-unknown' | 'no-address';

/** Candidate names in the order the resolver tries them when every one fails (NXDOMAIN). Fully qualified, trailing dot. */
export function candidateNames(conf: ResolvConf, flavour: ResolverFlavour, name: string): string[] {
  const absolute = name.endsWith('.');
  const bare = name.replace(/\.+$/, '');
  const asIs = `${bare}.`;
  if (absolute || bare === '') return [asIs];
  const dots = (bare.match(/\./g) ?? []).length;
  const ndots = Math.min(conf.options.ndots, 15);
  const searched = conf.search.map((d) => joinDomain(bare, d));
  if (flavour === 'musl') return dots >= ndots ? [asIs] : [...searched, asIs];
  if (dots >= ndots) return [asIs, ...searched.filter((n) => n !== asIs)];
  const rootOnList = conf.search.some((d) => d.replace(/^\.+/, '') === '');
  return rootOnList ? searched : [...searched, asIs];
}

function joinDomain(bare: string, domain: string): string {
  const d = domain.replace(/^\.+/, '').replace(/\.+$/, '');
  return d === '' ? `${bare}.` : `${bare}.${d}.`;
}

/** The record types one lookup asks for each candidate, in the order they are sent. */
export function typesFor(kind: LookupKind, conf: ResolvConf): RecordType[][] {
  if (kind === 'getaddrinfo-inet' || kind === 'gethostbyname') return [['A']];
  if (kind === 'getent-hosts') return [['AAAA'], ['A']];
  return conf.options.noAaaa ? [['A']] : [['A', 'AAAA']];
}

/** Runs the stub resolver for `name`; `ask` sends each candidate's questions and reports the answers. */
export function runStubResolver(conf: ResolvConf, flavour: ResolverFlavour, name: string, kind: LookupKind, ask: Ask): StubRun {
  const queries: DnsQueryResult[] = [];
  let last: StubRun = { queries, resolved: [] };
  for (const types of typesFor(kind, conf)) {
    const run = flavour === 'musl' ? searchMusl(conf, name, types, ask, queries) : searchGlibc(conf, name, types, ask, queries);
    last = run;
    // A candidate can answer (a CNAME) without an address of this family: glibc stops searching but the call fails, and getent hosts moves on to A.
    if (run.resolved.length > 0) return run;
  }
  return last;
}

type Verdict = 'success' | 'nxdomain' | 'nodata' | 'timeout' | 'refused';

/** glibc's verdict on one candidate's exchange (res_query.c: both answers of a pair count). */
function glibcVerdict(types: RecordType[], answers: Exchange['answers']): Verdict {
  const list = types.map((t) => answers[t] ?? 'timeout');
  if (list.some((a) => Array.isArray(a) && a.length > 0)) return 'success';
  if (list.every((a) => a === 'refused')) return 'refused';
  if (list.some((a) => a === 'timeout' || a === 'refused')) return 'timeout';
  // The first answer's rcode decides unless it is NOERROR; `unknown` (forwarded, not modelled) counts as NXDOMAIN.
  const first = list[0];
  const decisive = first === 'NODATA' || (Array.isArray(first) && first.length === 0) ? list[1] ?? first : first;
  return decisive === 'NODATA' || Array.isArray(decisive) ? 'nodata' : 'nxdomain';
}

function searchGlibc(conf: ResolvConf, name: string, types: RecordType[], ask: Ask, queries: DnsQueryResult[]): StubRun {
  const absolute = name.endsWith('.');
  const bare = name.replace(/\.+$/, '');
  const asIs = `${bare}.`;
  const dots = (bare.match(/\./g) ?? []).length;
  const ndots = Math.min(conf.options.ndots, 15);
  let savedVerdict: Verdict | undefined;
  let gotNodata = false;
  let triedAsIs = false;
  let rootOnList = false;
  let found: { name: string; addresses: string[] } | undefined;
  const tryName = (n: string): Verdict => {
    const ex = ask(n, types);
    queries.push(...ex.queries);
    const v = glibcVerdict(types, ex.answers);
    if (v === 'success') found = { name: n, addresses: addressesOf(types, ex.answers) };
    return v;
  };
  if (absolute || dots >= ndots) {
    const v = tryName(asIs);
    if (v === 'success' || absolute) return finish(queries, found, v);
    savedVerdict = v;
    triedAsIs = true;
    if (v === 'refused') return finish(queries, undefined, v);
  }
  for (const d of conf.search) {
    if (d.replace(/^\.+/, '') === '') rootOnList = true;
    const v = tryName(joinDomain(bare, d));
    if (v === 'success') return finish(queries, found, v);
    if (v === 'refused') return finish(queries, undefined, v);
    if (v === 'nodata') gotNodata = true;
    if (v === 'timeout') break;
  }
  // RES_NOTLDQUERY is off by default, so a dotless name is tried as is too.
  if (!triedAsIs && !rootOnList) {
    const v = tryName(asIs);
    if (v === 'success') return finish(queries, found, v);
    if (savedVerdict === undefined) savedVerdict = v === 'nxdomain' && gotNodata ? 'nodata' : v;
  }
  return finish(queries, undefined, savedVerdict ?? (gotNodata ? 'nodata' : 'nxdomain'));
}

function searchMusl(conf: ResolvConf, name: string, types: RecordType[], ask: Ask, queries: DnsQueryResult[]): StubRun {
  for (const n of candidateNames(conf, 'musl', name)) {
    const ex = ask(n, types);
    queries.push(...ex.queries);
    let verdict: Verdict | undefined;
    for (const t of types) {
      const a = ex.answers[t] ?? 'timeout';
      if (a === 'timeout' || a === 'refused') { verdict = 'timeout'; break; }
      if (a === 'NXDOMAIN' || a === 'unknown') { verdict = 'nxdomain'; break; }
    }
    if (verdict === undefined) {
      const addrs = addressesOf(types, ex.answers);
      if (addrs.length > 0) return finish(queries, { name: n, addresses: addrs }, 'success');
      verdict = 'nodata';
    }
    if (verdict !== 'nxdomain') return finish(queries, undefined, verdict);
  }
  return finish(queries, undefined, 'nxdomain');
}

function addressesOf(types: RecordType[], answers: Exchange['answers']): string[] {
  const out: string[] = [];
  for (const t of types) {
    const a = answers[t];
    if (Array.isArray(a)) for (const r of a) if (/^[0-9.]+$/.test(r) || r.includes(':')) out.push(r);
  }
  return out;
}

const ERRORS: Record<Exclude<Unresolved, 'no-address'>, string> = {
  nxdomain: 'NXDOMAIN: no candidate name exists',
  'upstream-unknown': 'unknown: the answer depends on the upstream resolver, which the topology does not model (give the name\'s addresses under dns.upstream, or trace to an address)',
  nodata: 'NODATA: the name exists but has no address of the asked type',
  timeout: 'timeout: no answer from any nameserver',
  refused: 'connection refused by every nameserver (ICMP port unreachable)',
};

function finish(queries: DnsQueryResult[], found: { name: string; addresses: string[] } | undefined, v: Verdict): StubRun {
  if (found && found.addresses.length === 0) return { queries, resolved: [], answeredName: found.name, unresolved: 'no-address', error: `${found.name} answers, but with no address of the asked type (a CNAME only)` };
  if (found) return { queries, resolved: found.addresses, answeredName: found.name };
  if (v === 'success') return { queries, resolved: [] };
  // NXDOMAIN or NODATA is only known when no candidate went to an unmodelled upstream.
  const unresolved: Unresolved = (v === 'nxdomain' || v === 'nodata') && queries.some((q) => q.answer === 'unknown') ? 'upstream-unknown' : v;
  return { queries, resolved: [], unresolved, error: ERRORS[unresolved] };
}
