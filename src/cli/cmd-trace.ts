/**
 * `kube-netsim trace TOPOLOGY --from SRC --to DST [--proto] [--port] [--json] [--html OUT]`
 * and `kube-netsim trace TOPOLOGY --batch QUERIES.jsonl --json`: loads the
 * topology, answers each query with the simulator, and prints either the JSON
 * of the CLI spec (one line per query) or an indented explanation a person can
 * follow, every step with the file:line it came from.
 */
import { resolve } from 'node:path';
import type { CliIO } from './io';
import { EXIT_OK, EXIT_USAGE } from './io';
import { parseFlags } from './flags';
import { readTopology } from './read-topology';
import { MIN_SIZE, isPacketSize, parseDestination, resolveSource, trace } from '../core/query/trace';
import { closestNames, sourceNames } from './closest-names';
import type { Hop, Outcome, TraceQuery, TraceResult } from '../core/sim/types';
import type { Cluster } from '../core/model/cluster';
import { parseIPv4 } from '../core/net/ipv4';
import { renderTraceHtml } from '../render/trace-html';

const USAGE = 'usage: kube-netsim trace TOPOLOGY --from SRC --to DST [--proto tcp|udp|icmp] [--port N] [--size BYTES] [--json] [--html OUT.html]\n       kube-netsim trace TOPOLOGY --batch QUERIES.jsonl --json\n';

type Proto = TraceQuery['protocol'];

function isProto(s: unknown): s is Proto {
  return s === 'tcp' || s === 'udp' || s === 'icmp';
}

/** `--port` text → number, or an error sentence. */
function portOf(s: string | true | undefined): number | undefined | { error: string } {
  if (s === undefined) return undefined;
  if (s === true || !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 65535) return { error: `malformed port '${s === true ? '' : s}' (1-65535)` };
  return Number(s);
}

/** The options `trace` takes. */
const KNOWN_FLAGS = ['from', 'to', 'proto', 'port', 'size', 'batch', 'html', 'json'];

/** Runs `kube-netsim trace`. */
export function cmdTrace(args: string[], io: CliIO): number {
  const { flags, positional, error } = parseFlags(args, ['from', 'to', 'proto', 'port', 'size', 'batch', 'html']);
  const unknown = Object.keys(flags).find((f) => !KNOWN_FLAGS.includes(f));
  if (error || unknown || positional.length !== 1) {
    io.stderr(`kube-netsim trace: ${error ?? (unknown ? `unknown option --${unknown}` : 'expected exactly one TOPOLOGY file')}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const topo = positional[0];
  /** A problem in the topology (or a file it names): placed at its file:line:column. */
  const fail = (msg: string, line = 1, col = 1, file = topo): number => {
    io.stderr(`${file}:${line}:${col}: ${msg}\n`);
    return EXIT_USAGE;
  };
  /** A mistake on the command line: it names the option, not a place in the topology. */
  const refuse = (flag: string, msg: string): number => {
    io.stderr(`kube-netsim trace: --${flag}: ${msg}\n`);
    return EXIT_USAGE;
  };
  const loaded = readTopology(io, topo);
  if ('error' in loaded) {
    io.stderr(`kube-netsim trace: ${loaded.error}\n`);
    return EXIT_USAGE;
  }
  const blocking = loaded.loaded.issues.find((i) => i.severity === 'error' && (i.file ?? topo) === topo);
  if (blocking) return fail(`${blocking.message} [${blocking.code}]`, blocking.span.line, blocking.span.column, blocking.file ?? topo);
  const cluster = loaded.loaded.cluster;

  if (typeof flags.batch === 'string') return batch(io, cluster, flags.batch, flags.json === true);
  if (typeof flags.from !== 'string' || typeof flags.to !== 'string') {
    io.stderr(`kube-netsim trace: --from and --to are required (or --batch)\n${USAGE}`);
    return EXIT_USAGE;
  }
  const proto = flags.proto === undefined ? 'tcp' : flags.proto;
  if (!isProto(proto)) return refuse('proto', `unknown protocol '${String(proto)}' (tcp, udp or icmp)`);
  const port = portOf(flags.port);
  if (typeof port === 'object') return refuse('port', port.error);
  const dest = parseDestination(flags.to);
  if ('error' in dest) return refuse('to', dest.error);
  if (port !== undefined && dest.port !== undefined && port !== dest.port) {
    return refuse('port', `${port} conflicts with the port in --to ${flags.to}: give the port once`);
  }
  if (proto === 'icmp' && (port !== undefined || dest.port !== undefined)) return refuse('proto', 'icmp has no ports: drop --port (or :PORT) or use --proto tcp|udp');
  const src = resolveSource(cluster, flags.from);
  if ('error' in src) {
    return refuse('from', `${src.error}${suggestSources(cluster, flags.from, src.error)}`);
  }
  const q: TraceQuery = { from: flags.from, to: flags.to, protocol: proto };
  if (port !== undefined && dest.port === undefined) q.port = port;
  if (flags.size !== undefined) {
    const size = typeof flags.size === 'string' && /^\d+$/.test(flags.size) ? Number(flags.size) : NaN;
    if (!isPacketSize(size)) return refuse('size', `malformed size '${flags.size === true ? '' : flags.size}' (IP packet bytes, ${MIN_SIZE}-65535)`);
    q.size = size;
  }
  const r = trace(cluster, q);
  if (r.error) return fail(r.error, ...placeOf(cluster, q.from));
  const html = typeof flags.html === 'string' ? flags.html : undefined;
  if (flags.json) io.stdout(JSON.stringify(r) + '\n');
  else if (html === undefined) io.stdout(explain(r, cluster));
  if (html !== undefined) {
    const out = resolve(io.cwd, html);
    const w = io.writeFile(out, renderTraceHtml([r], cluster));
    if (w.error) {
      io.stderr(`kube-netsim trace: cannot write ${html}: ${w.error}\n`);
      return EXIT_USAGE;
    }
    // With --json, stdout is the JSON alone; the confirmation goes beside it.
    (flags.json ? io.stderr : io.stdout)(`wrote ${html}\n`);
  }
  return EXIT_OK;
}

/** For an unknown source name: the closest valid names, else a few of them (pods first); nothing for an address. */
function suggestSources(cl: Cluster, from: string, error: string): string {
  if (!error.startsWith('unknown source') || parseIPv4(from.trim()) !== undefined) return '';
  const names = sourceNames(cl);
  const near = closestNames(from, names);
  if (near.length) return ` (closest: ${near.join(', ')})`;
  return names.length ? ` (sources include ${names.slice(0, 3).join(', ')}${names.length > 3 ? `, … ${names.length} in all` : ''})` : '';
}

/** Where in the topology a source name is declared (for the error line), else 1:1. */
function placeOf(cl: Cluster, from: string): [number, number] {
  const h = cl.hosts.get(from);
  return h?.origin ? [h.origin.line, h.origin.column] : [1, 1];
}

function batch(io: CliIO, cluster: Cluster, path: string, json: boolean): number {
  const f = io.readFile(resolve(io.cwd, path));
  if ('error' in f) {
    io.stderr(`kube-netsim trace: --batch ${path}: ${f.error}\n`);
    return EXIT_USAGE;
  }
  const lines = f.text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const r = batchLine(cluster, line, i + 1);
    io.stdout(json ? JSON.stringify(r) + '\n' : explain(r, cluster) + '\n');
  });
  return EXIT_OK;
}

/** One line of a batch file → its result; a bad line gives a result with `error`. */
export function batchLine(cluster: Cluster, line: string, n: number): TraceResult {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return bad({}, `line ${n}: not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad({}, `line ${n}: expected an object {"from", "to", "protocol", "port"}`);
  const o = v as Record<string, unknown>;
  const from = typeof o.from === 'string' ? o.from : '';
  const to = typeof o.to === 'string' ? o.to : '';
  const protocol = o.protocol === undefined ? 'tcp' : o.protocol;
  const q = { from, to, protocol: isProto(protocol) ? protocol : 'tcp', port: typeof o.port === 'number' ? o.port : undefined };
  if (!from || !to) return bad(q, `line ${n}: "from" and "to" are required strings`);
  if (!isProto(protocol)) return bad(q, `line ${n}: unknown protocol '${String(protocol)}' (tcp, udp or icmp)`);
  if (o.port !== undefined && !(typeof o.port === 'number' && Number.isInteger(o.port) && o.port >= 1 && o.port <= 65535)) return bad(q, `line ${n}: malformed port '${String(o.port)}' (1-65535)`);
  const tq: TraceQuery = { from, to, protocol };
  if (q.port !== undefined) tq.port = q.port;
  if (o.size !== undefined) {
    if (typeof o.size !== 'number') return bad(q, `line ${n}: malformed size '${String(o.size)}' (IP packet bytes, ${MIN_SIZE}-65535)`);
    tq.size = o.size;
  }
  return trace(cluster, tq);
}

function bad(q: { from?: string; to?: string; protocol?: string; port?: number }, error: string): TraceResult {
  const query: TraceResult['query'] = { from: q.from ?? '', to: q.to ?? '', protocol: q.protocol ?? 'tcp' };
  if (q.port !== undefined) query.port = q.port;
  return { version: 1, query, source: { ip: '' }, dns: null, outcomes: [], error };
}

function pct(p: number): string {
  const v = p * 100;
  return `${Number.isInteger(v) ? v : +v.toFixed(2)}%`;
}

function where(h: Hop): string {
  return h.origin ? `  [${h.origin.file}:${h.origin.line}]` : '';
}

function hopLines(hops: Hop[], indent: string): string[] {
  const out: string[] = [];
  let last = '';
  for (const h of hops) {
    const host = h.host === last ? '' : `${h.host}: `;
    last = h.host;
    out.push(`${indent}${host}${h.kind === 'assume' ? '' : `${h.kind} `}${h.text}${where(h)}`);
  }
  return out;
}

/** The way a packet went, by next hops and bridges after it left its sender: `10.240.0.1 → 10.240.0.5 → cbr0`. */
function pathOf(o: Outcome, cl: Cluster): string[] {
  const path: string[] = [];
  let seenFirst = false;
  for (const h of o.hops) {
    let step: string | undefined;
    if (h.kind === 'link') {
      const m = /^(\S+) → (\S+) /.exec(h.text);
      if (!seenFirst) {
        seenFirst = true;
        continue;
      }
      const isBridge = cl.hosts.get(h.host)?.interfaces.some((i) => i.name === m?.[1] && i.isBridge);
      step = isBridge ? m?.[1] : m?.[2];
    } else if (h.kind === 'bridge') {
      step = /^bridged on (\S+):/.exec(h.text)?.[1];
    }
    if (step && path[path.length - 1] !== step) path.push(step);
  }
  return path;
}

/** One line per outcome for the overview: where it ends and which way. */
function overview(o: Outcome, cl: Cluster): string {
  const path = pathOf(o, cl);
  const via = path.length ? ` via ${path.join(' → ')}` : '';
  if (o.disposition === 'delivered' && o.delivered) {
    const d = o.delivered;
    const who = d.pod ? `${d.pod}${d.node ? ` on ${d.node}` : ''}` : d.node ?? d.host ?? '';
    return `→ ${d.ip}${d.port !== undefined ? `:${d.port}` : ''} (${who})${via}${o.connection && o.connection !== 'ok' ? ` — connection ${o.connection}` : ''}`;
  }
  return `${o.disposition} at ${o.at}${via}`;
}

/** The readable explanation of one result. */
export function explain(r: TraceResult, cl: Cluster): string {
  const q = r.query;
  const dst = `${q.to}${q.port !== undefined && !q.to.includes(':') ? `:${q.port}` : ''}/${q.protocol}`;
  const src = [r.source.pod ?? r.source.node ?? r.source.host, r.source.ip].filter(Boolean).join(' ');
  const out: string[] = [`trace ${q.from} → ${dst}`];
  if (r.error) return `${out[0]}\nerror: ${r.error}\n`;
  out.push(`from ${src}${r.source.pod && r.source.node ? ` on ${r.source.node}` : ''}`);
  if (r.dns) {
    out.push(`DNS via ${r.dns.nameserver || 'no nameserver'}:`);
    for (const d of r.dns.queries) {
      const by = (d.answeredBy ?? []).map((a) => `${pct(a.probability)} ${a.pod ?? a.ip}`).join(', ');
      out.push(`  ${d.type} ${d.name} → ${Array.isArray(d.answer) ? d.answer.join(', ') || '(empty)' : d.answer}${by ? `  (answered by ${by})` : ''}`);
      for (const n of d.notes ?? []) out.push(`      ${n}`);
    }
    if (r.dns.error) out.push(`  ${r.dns.error}`);
    if (r.dns.resolved.length) out.push(`  resolved: ${r.dns.resolved.join(', ')}`);
    else out.push(r.dns.unresolved === 'upstream-unknown' ? '  no address known here: no connection is traced' : '  nothing resolved: no connection is made');
  }
  const targets = r.dns ? r.dns.resolved : [q.to.split(':')[0]];
  for (const t of targets) {
    const a = parseIPv4(t);
    if (a === undefined || cl.addressOwner.has(a)) continue;
    const svc = cl.services.find((s) => s.clusterIP === a);
    out.push(`${t} is no interface's address${svc ? ` (ClusterIP of Service ${svc.namespace}/${svc.name})` : ''}: netfilter rules and routes decide where it goes`);
  }
  const first = r.outcomes[0]?.hops.find((h) => h.kind === 'rule' && h.chain === 'KUBE-SERVICES' && h.text.includes('→'));
  if (first) out.push(`KUBE-SERVICES${first.origin ? ` (${first.origin.file}:${first.origin.line})` : ''} sends it to ${first.text.split('→ ')[1]?.split(' ')[0] ?? '?'}`);
  for (const o of r.outcomes) out.push(`  ${pct(o.probability)} ${overview(o, cl)}`);
  for (const s of r.assumptions ?? []) out.push(`assumed: ${s}`);
  r.outcomes.forEach((o: Outcome, i) => {
    out.push('');
    out.push(`${r.outcomes.length > 1 ? `${i + 1}. ` : ''}${pct(o.probability)} ${o.summary ?? o.disposition}`);
    out.push(...hopLines(o.hops, '    '));
    if (o.reply) {
      const m = o.reply.disposition === 'delivered' ? (o.reply.matchesRequest ? ' (as the sender expects)' : ' (NOT from the address the sender sent to: its socket drops it)') : '';
      out.push(`  reply: ${o.reply.disposition} at ${o.reply.at}${m}`);
      out.push(...hopLines(o.reply.hops, '    '));
      const e = o.reply.established;
      if (e) {
        out.push(`  then the sender's ACK on the established connection: ${e.disposition} at ${e.at}`);
        out.push(...hopLines(e.hops, '    '));
      }
    }
    if (o.connection === 'timeout' && o.disposition === 'delivered') {
      out.push(o.reply?.established
        ? '  the handshake completes on the client, but the server never sees its ACK: the TCP connection would time out'
        : `  the reply is lost: the ${q.protocol === 'tcp' ? 'TCP connection' : 'exchange'} would time out`);
    }
  });
  return out.join('\n') + '\n';
}
