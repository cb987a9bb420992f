/**
 * DNS as a pod's stub resolver does it, with each query's packet traced: the
 * pod's resolv.conf (given, or derived from its dnsPolicy), the order of
 * candidate names (stub-resolver), the nameservers tried in turn with their
 * retries, the path of every query packet (traceFlow) and the answer of
 * whoever receives it (cluster-records).
 *
 * Shortcuts, all stated in the result's assumptions or the query's notes: the
 * query leaves from source port 33000 (an ephemeral port; kube-proxy's rules do
 * not depend on it); A and AAAA of one candidate share a socket, hence one
 * conntrack entry and one path; a path that is answered with probability p ≥ ½
 * reports the answer, with the rest of the probability in the notes.
 */
import { formatIPv4, parseIPv4 } from '../net/ipv4';
import type { Cluster, Host } from '../model/cluster';
import type { ResolvConf } from '../model/resolv';
import type { DnsQueryResult, DnsResult, Outcome } from '../sim/types';
import { traceFlow, type Flow } from '../sim/trace-flow';
import { answerQuery, fqdn, upstreamAnswer, type DnsAnswer, type RecordType } from './cluster-records';
import { defaultResolvConf } from './default-resolv';
import { queryPathOf, type QueryPath } from './query-path';
import { serverConfigOf, type DnsServerConfig } from './server-config';
import { runStubResolver, type Exchange, type LookupKind, type QueryAnswer, type ResolverFlavour } from './stub-resolver';

/** Walks one packet through the cluster; `traceFlow` unless a test or a caller substitutes its own. */
export type PacketTracer = (cluster: Cluster, flow: Flow) => Outcome[];

/** How to resolve: which call the program makes, and which tracer walks the query packets. */
export interface ResolveOptions {
  lookup?: LookupKind;
  tracer?: PacketTracer;
  /** Source port of the query packets; default 33000. */
  srcPort?: number;
}

/** The ephemeral source port every query is assumed to leave from. */
export const QUERY_SRC_PORT = 33000;

/** Resolves `name` from host `srcHost` (a pod id, or a unique pod name) the way its resolver would, tracing every query. */
export function resolveName(cluster: Cluster, srcHost: string, name: string, options: ResolveOptions = {}): DnsResult {
  const host = findHost(cluster, srcHost);
  if (!host) return { nameserver: '', queries: [], resolved: [], error: `unknown source ${srcHost}` };
  if (parseIPv4(name) !== undefined) return { nameserver: '', queries: [], resolved: [formatIPv4(parseIPv4(name)!)] };
  const assumptions: string[] = [];
  let conf: ResolvConf | undefined = host.resolvConf;
  if (!conf) {
    if (host.kind !== 'pod') return { nameserver: '', queries: [], resolved: [], error: `${host.id} has no resolv.conf in the topology` };
    const derived = defaultResolvConf(cluster, host);
    assumptions.push(...derived.assumptions);
    if (!derived.conf) return { nameserver: '', queries: [], resolved: [], error: derived.error, assumptions };
    conf = derived.conf;
  }
  const flavour: ResolverFlavour = host.resolver ?? 'glibc';
  if (!host.resolver) assumptions.push('resolver assumed glibc (set `resolver: musl` for Alpine images)');
  const lookup = options.lookup ?? 'getaddrinfo';
  if (flavour === 'glibc' && conf.options.rotate && conf.nameservers.length > 1) assumptions.push('options rotate: glibc starts at a random nameserver; assumed the first, then one further per candidate');
  if (flavour === 'glibc' && (conf.options.singleRequest || conf.options.singleRequestReopen)) assumptions.push('options single-request: A and AAAA are sent one after the other, in that order');
  if (flavour === 'musl' && (conf.options.rotate || conf.options.useVc || conf.options.singleRequest)) assumptions.push('musl ignores rotate, single-request and use-vc');
  let servers = conf.nameservers.slice(0, 3).map((n) => n.address);
  if (servers.length === 0) {
    servers = ['127.0.0.1'];
    assumptions.push('resolv.conf has no nameserver: the resolver uses 127.0.0.1');
  }
  const src = sourceAddress(host);
  if (src === undefined) return { nameserver: servers[0], queries: [], resolved: [], error: `${host.id} has no IPv4 address to send queries from`, assumptions };
  const ctx: Ctx = {
    cluster, host, src, conf, flavour, servers,
    tracer: options.tracer ?? traceFlow,
    srcPort: options.srcPort ?? QUERY_SRC_PORT,
    transport: conf.options.useVc && flavour === 'glibc' ? 'tcp' : 'udp',
    server: serverConfigOf(cluster.dns, cluster.dnsDomain),
    paths: new Map(),
    rotation: 0,
    unknownNames: new Set(),
  };
  if (ctx.server.assumedDefault) assumptions.push('no Corefile given: kubeadm\'s default assumed (kubernetes zone with pods insecure, forward . /etc/resolv.conf)');
  const run = runStubResolver(conf, flavour, name, lookup, (n, types) => exchange(ctx, n, types));
  for (const n of ctx.unknownNames) assumptions.push(`${n} is outside what the topology knows (no dns.upstream record): answer unknown (the resolver moves on as after NXDOMAIN)`);
  const result: DnsResult = { nameserver: servers[0], queries: run.queries, resolved: run.resolved };
  if (run.resolved.length === 0) {
    result.error = run.error ?? `${name} has no address`;
    result.unresolved = run.unresolved ?? 'no-address';
  }
  if (assumptions.length > 0) result.assumptions = assumptions;
  return result;
}

interface Ctx {
  cluster: Cluster;
  host: Host;
  src: number;
  conf: ResolvConf;
  flavour: ResolverFlavour;
  servers: string[];
  tracer: PacketTracer;
  srcPort: number;
  transport: 'udp' | 'tcp';
  server: DnsServerConfig;
  paths: Map<string, QueryPath>;
  rotation: number;
  unknownNames: Set<string>;
}

/** Sends one candidate's questions: nameservers in turn (glibc) or all at once (musl), `attempts` rounds. */
function exchange(ctx: Ctx, name: string, types: RecordType[]): Exchange {
  const queries: DnsQueryResult[] = [];
  const n = ctx.servers.length;
  // glibc's rotate moves the first server along with every res_send call from a random start; starting at the first server is an assumption.
  const offset = ctx.conf.options.rotate && ctx.flavour === 'glibc' ? ctx.rotation++ % n : 0;
  const attempts = Math.max(1, ctx.conf.options.attempts);
  let allRefused = true;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (ctx.flavour === 'musl') {
      // musl sends every question to every nameserver at once and takes the first reply.
      const round = ctx.servers.map((s) => ({ s, path: pathTo(ctx, s) }));
      for (const { s, path } of round) for (const t of types) queries.push(packet(ctx, name, t, s, path, attempt, 'musl'));
      const winner = round.find((r) => answeredEnough(r.path));
      if (winner) return { queries, answers: answersOf(ctx, name, types, winner.path) };
      allRefused = false;
      continue;
    }
    for (let k = 0; k < n; k++) {
      const s = ctx.servers[(k + offset) % n];
      const path = pathTo(ctx, s);
      for (const t of types) queries.push(packet(ctx, name, t, s, path, attempt, 'glibc'));
      if (answeredEnough(path)) return { queries, answers: answersOf(ctx, name, types, path) };
      if (path.refused <= path.lost) allRefused = false;
    }
  }
  const failed: QueryAnswer = allRefused ? 'refused' : 'timeout';
  return { queries, answers: Object.fromEntries(types.map((t) => [t, failed])) };
}

/** The path a query to `server` takes, traced once per server (same socket, same conntrack entry, same path). */
function pathTo(ctx: Ctx, server: string): QueryPath {
  const known = ctx.paths.get(server);
  if (known) return known;
  const dst = parseIPv4(server);
  let outcomes: Outcome[] = [];
  if (dst !== undefined) {
    const flow: Flow = { srcHost: ctx.host.id, src: ctx.src, dst, protocol: ctx.transport, srcPort: ctx.srcPort, dstPort: 53 };
    outcomes = ctx.tracer(ctx.cluster, flow);
  }
  const path = queryPathOf(ctx.cluster, server, outcomes, ctx.flavour);
  if (dst === undefined) path.notes.push(`nameserver ${server} is not IPv4: its path is not modelled`);
  ctx.paths.set(server, path);
  return path;
}

function answeredEnough(path: QueryPath): boolean {
  return path.answered.reduce((s, a) => s + a.probability, 0) >= 0.5 - 1e-9;
}

/** The answer of the most likely answering server kind for each type. */
function answersOf(ctx: Ctx, name: string, types: RecordType[], path: QueryPath): Exchange['answers'] {
  const out: Exchange['answers'] = {};
  for (const t of types) out[t] = toQueryAnswer(ctx, name, answerFrom(ctx, name, t, path));
  return out;
}

function answerFrom(ctx: Ctx, name: string, type: RecordType, path: QueryPath): DnsAnswer {
  const byKind = new Map<string, number>();
  for (const a of path.answered) byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + a.probability);
  const kind = [...byKind.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'cluster';
  return kind === 'cluster' ? answerQuery(ctx.cluster, ctx.server, name, type) : upstreamAnswer(ctx.cluster, name, type);
}

function toQueryAnswer(ctx: Ctx, name: string, a: DnsAnswer): QueryAnswer {
  if (a.rcode === 'unknown') ctx.unknownNames.add(fqdn(name));
  return a.rcode === 'records' ? a.records : a.rcode;
}

/** One query packet as the result lists it. */
function packet(ctx: Ctx, name: string, type: RecordType, server: string, path: QueryPath, attempt: number, flavour: ResolverFlavour): DnsQueryResult {
  const q: DnsQueryResult = { name: fqdn(name), type, answer: 'timeout', trace: { outcomes: path.outcomes }, server, transport: ctx.transport };
  const notes = [...path.notes];
  if (attempt > 0) notes.unshift(`retry ${attempt + 1} of ${ctx.conf.options.attempts}`);
  if (answeredEnough(path)) {
    const a = answerFrom(ctx, name, type, path);
    q.answer = toQueryAnswer(ctx, name, a);
    q.answeredBy = path.answered.map((s) => ({ ...(s.pod ? { pod: s.pod } : {}), ip: s.ip, probability: s.probability }));
    notes.push(`answer: ${a.decidedBy}`);
  } else {
    q.answer = path.refused > path.lost ? 'refused' : 'timeout';
    if (q.answer === 'timeout') notes.push(`no reply within ${ctx.conf.options.timeout}s`);
  }
  if (flavour === 'musl' && ctx.servers.length > 1) notes.push(`musl sends to all ${ctx.servers.length} nameservers at once`);
  if (notes.length > 0) q.notes = notes;
  return q;
}

function findHost(cluster: Cluster, id: string): Host | undefined {
  const h = cluster.hosts.get(id);
  if (h) return h;
  const byName = [...cluster.hosts.values()].filter((x) => x.name === id);
  return byName.length === 1 ? byName[0] : undefined;
}

/** The address the resolver's socket binds: the first IPv4 address of an up, non-loopback interface. */
function sourceAddress(host: Host): number | undefined {
  for (const i of host.interfaces) if (i.up && !i.isLoopback) for (const a of i.addresses) return a.ip;
  return undefined;
}
