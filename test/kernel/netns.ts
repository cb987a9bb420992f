/**
 * The kernel side of the conformance tests: a Lab is a set of Linux network
 * namespaces (all named with one per-run prefix, `kns<pid>x<n>-…`) wired with
 * veth pairs and bridges, configured with addresses, routes, sysctls and
 * iptables rulesets, and torn down whatever happens. Probes (./probe.mjs) send
 * real UDP and TCP between the namespaces; `dump` records what the kernel holds
 * in the formats users paste (iptables-save, iptables -L -n -v, ip route,
 * route -n, ip addr) so the same state can be fed to the simulator.
 *
 * Traffic never leaves the namespaces created here: nothing is attached to the
 * host's own interfaces, and every address used is private and lab-local.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const PROBE = join(import.meta.dirname, 'probe.mjs');

/** Prefix shared by every namespace this process creates (leftovers of a dead run share its shape). */
const RUN_PREFIX = `kns${process.pid}x`;
let labCounter = 0;
let vethCounter = 0;

/** Why the kernel tests cannot run here, or undefined when they can (root, `ip netns`, iptables). */
export function kernelUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs root and ip netns: not Linux';
  if (process.getuid?.() !== 0) return 'needs root and ip netns: not running as root';
  // kubenet needs br_netfilter (bridged frames through iptables); its sysctl is
  // per network namespace on recent kernels, set by each lab.
  if (!existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')) spawnSync('modprobe', ['br_netfilter']);
  if (!existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')) return 'needs root and ip netns: br_netfilter is not available (modprobe br_netfilter failed)';
  const probe = `kns${process.pid}probe`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `needs root and ip netns: 'ip netns add' failed: ${(add.stderr || String(add.error)).trim()}`;
  try {
    const ipt = spawnSync('ip', ['netns', 'exec', probe, 'iptables-save'], { encoding: 'utf8' });
    if (ipt.status !== 0) return `needs root and ip netns: iptables-save in a namespace failed: ${(ipt.stderr || String(ipt.error)).trim()}`;
  } finally {
    spawnSync('ip', ['netns', 'del', probe]);
  }
  return undefined;
}

/** Runs a command, throwing with its stderr on failure (setup errors are test bugs, not results). */
export function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${(r.stderr || String(r.error)).trim()}`);
  return r.stdout;
}

/** Deletes namespaces left by runs of this harness whose process is gone. */
function deleteLeftovers(): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0];
    const m = /^kns(\d+)(x|probe)/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !pidAlive(pid)) spawnSync('ip', ['netns', 'del', name]);
  }
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/**
 * How long a probe waits for an answer that should come: generous, because the
 * machine may be busy and a late reply must not pass for silence.
 */
export const REPLY_WAIT_MS = 2000;

/**
 * How long a probe waits where silence is the expected answer (DROP, blackhole,
 * lost replies): a reply between namespaces takes well under a millisecond.
 */
export const SILENCE_MS = 300;

/** What one probe observed, from the sender's side. */
export interface ProbeResult {
  /** reply: an answer came back; refused: ECONNREFUSED/RST; unreachable: an ICMP unreachable (or a local no-route); timeout: silence. */
  kind: 'reply' | 'refused' | 'unreachable' | 'too-big' | 'timeout' | 'error';
  code?: string;
  /** For a TCP timeout: the client's handshake completed (SYN-ACK came back) but no answer followed. */
  connected?: boolean;
  /** Source address of the reply (what the sender's socket accepted it from). */
  from?: string;
  /** The receiver's own report, echoed back. */
  answer?: Received;
}

/** What a receiver logged for one packet or connection. */
export interface Received {
  label: string;
  proto: 'udp' | 'tcp';
  local: string;
  localPort: number;
  /** The source address the receiver saw (after any SNAT/MASQUERADE on the way). */
  peer: string;
  peerPort: number;
}

/** A running receiver in one namespace. */
export interface Server {
  label: string;
  /** Everything it received so far. */
  log: Received[];
  stop(): void;
}

/** Files `dump` wrote for one namespace, relative to the dump folder. */
export interface DumpFiles {
  ipAddr: string;
  /** `ip -o addr`: one line per address. */
  ipOneLineAddr: string;
  ipRoute: string;
  /** `ip route show table all`: local and broadcast routes of the local table too. */
  ipRouteAll: string;
  routeN?: string;
  ifconfig?: string;
  iptablesSave: string;
  natList: string;
  filterList: string;
}

/** A set of namespaces for one scenario. Call `destroy` in an `after` hook (and it is safe to call twice). */
export class Lab {
  readonly prefix: string;
  private readonly names = new Set<string>();
  private readonly servers: ChildProcess[] = [];

  constructor() {
    if (labCounter === 0) deleteLeftovers();
    this.prefix = `${RUN_PREFIX}${++labCounter}-`;
  }

  /** The real namespace name for a lab-local name. */
  ns(name: string): string {
    return this.prefix + name;
  }

  /** Creates a namespace with lo up, no ICMP rate limit, rp_filter off, redirects off, forwarding as asked. */
  addNs(name: string, opts: { forward?: boolean } = {}): void {
    const ns = this.ns(name);
    run('ip', ['netns', 'add', ns]);
    this.names.add(ns);
    this.exec(name, ['ip', 'link', 'set', 'lo', 'up']);
    this.sysctl(name, {
      'net.ipv4.ip_forward': opts.forward ? '1' : '0',
      'net.ipv4.icmp_ratelimit': '0',
      'net.ipv4.conf.all.rp_filter': '0',
      'net.ipv4.conf.default.rp_filter': '0',
      // A router forwarding back out the interface a packet came in on would send
      // ICMP redirects and the sender would then bypass it; cloud route tables do not.
      'net.ipv4.conf.all.send_redirects': '0',
      'net.ipv4.conf.default.send_redirects': '0',
      'net.ipv4.conf.all.accept_redirects': '0',
      'net.ipv4.conf.default.accept_redirects': '0',
    });
  }

  /** Runs a command inside a namespace. */
  exec(name: string, argv: string[], input?: string): string {
    return run('ip', ['netns', 'exec', this.ns(name), ...argv], input);
  }

  /** Sets sysctls inside a namespace. */
  sysctl(name: string, values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.exec(name, ['sysctl', '-q', '-w', `${k}=${v}`]);
  }

  /** A veth pair between two namespaces, both ends up. */
  veth(aNs: string, aIf: string, bNs: string, bIf: string): void {
    const tag = `${process.pid % 100000}x${++vethCounter}`;
    const tmpA = `kva${tag}`;
    const tmpB = `kvb${tag}`;
    // Created under temporary names in the host namespace, then moved and renamed at
    // once, so names like eth0 never collide with the host's own interfaces.
    run('ip', ['link', 'add', tmpA, 'type', 'veth', 'peer', 'name', tmpB]);
    run('ip', ['link', 'set', tmpA, 'netns', this.ns(aNs), 'name', aIf]);
    run('ip', ['link', 'set', tmpB, 'netns', this.ns(bNs), 'name', bIf]);
    this.exec(aNs, ['ip', 'link', 'set', aIf, 'up']);
    this.exec(bNs, ['ip', 'link', 'set', bIf, 'up']);
  }

  /** A Linux bridge inside a namespace, up. */
  bridge(name: string, dev: string): void {
    this.exec(name, ['ip', 'link', 'add', dev, 'type', 'bridge']);
    this.exec(name, ['ip', 'link', 'set', dev, 'up']);
  }

  /** Enslaves a port to a bridge and sets its hairpin mode. */
  attach(name: string, port: string, bridge: string, hairpin: boolean): void {
    this.exec(name, ['ip', 'link', 'set', port, 'master', bridge]);
    this.exec(name, ['bridge', 'link', 'set', 'dev', port, 'hairpin', hairpin ? 'on' : 'off']);
  }

  /** Adds an address (`10.244.0.1/24`) to an interface. */
  addr(name: string, dev: string, cidr: string): void {
    this.exec(name, ['ip', 'addr', 'add', cidr, 'dev', dev]);
  }

  /** `ip route add …` inside a namespace (e.g. `['blackhole', '10.244.0.0/24']`). */
  route(name: string, spec: string[]): void {
    this.exec(name, ['ip', 'route', 'add', ...spec]);
  }

  /** `ip route del …` inside a namespace. */
  delRoute(name: string, spec: string[]): void {
    this.exec(name, ['ip', 'route', 'del', ...spec]);
  }

  /** Loads an iptables-save style ruleset (replacing the tables it names). */
  iptablesRestore(name: string, rules: string): void {
    this.exec(name, ['iptables-restore'], rules);
  }

  /** Starts a receiver for UDP and TCP on `ports` inside a namespace; resolves once it is listening. */
  serve(name: string, label: string, ports: number[]): Promise<Server> {
    const child = spawn('ip', ['netns', 'exec', this.ns(name), process.execPath, PROBE, 'serve', label, ports.join(',')], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.servers.push(child);
    const log: Received[] = [];
    const server: Server = { label, log, stop: () => { if (child.exitCode === null) child.kill('SIGTERM'); } };
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (line === 'ready') { resolve(server); return; }
        log.push(JSON.parse(line) as Received);
      });
      child.once('exit', (code) => reject(new Error(`receiver ${label} in ${name} exited (${code}) before it was ready`)));
    });
  }

  /** Sends `count` probes from a namespace and reports what each one saw. */
  send(name: string, proto: 'udp' | 'tcp', addr: string, port: number, count: number, timeoutMs = REPLY_WAIT_MS, size?: number): Promise<ProbeResult[]> {
    const args = [PROBE, 'send', proto, addr, String(port), String(count), String(timeoutMs), ...(size !== undefined ? [String(size)] : [])];
    const child = spawn('ip', ['netns', 'exec', this.ns(name), process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => {
        if (code !== 0) { reject(new Error(`sender in ${name} exited ${code}`)); return; }
        resolve((JSON.parse(out) as { results: ProbeResult[] }).results);
      });
    });
  }

  /** Writes a namespace's real state, in the formats users paste, under `dir/<name>/`; returns the relative paths. */
  dump(name: string, dir: string): DumpFiles {
    mkdirSync(join(dir, name), { recursive: true });
    const write = (file: string, text: string): string => {
      writeFileSync(join(dir, name, file), text);
      return `${name}/${file}`;
    };
    const files: DumpFiles = {
      ipAddr: write('ip-addr.txt', this.exec(name, ['ip', 'addr'])),
      ipOneLineAddr: write('ip-o-addr.txt', this.exec(name, ['ip', '-o', 'addr'])),
      ipRoute: write('ip-route.txt', this.exec(name, ['ip', 'route'])),
      ipRouteAll: write('ip-route-table-all.txt', this.exec(name, ['ip', 'route', 'show', 'table', 'all'])),
      iptablesSave: write('iptables-save.txt', this.exec(name, ['iptables-save'])),
      natList: write('iptables-nat-L-n-v.txt', this.exec(name, ['iptables', '-t', 'nat', '-L', '-n', '-v'])),
      filterList: write('iptables-filter-L-n-v.txt', this.exec(name, ['iptables', '-t', 'filter', '-L', '-n', '-v'])),
    };
    // net-tools is optional on the host: without it, `ip route` is the only route dump.
    const routeN = spawnSync('ip', ['netns', 'exec', this.ns(name), 'route', '-n'], { encoding: 'utf8' });
    if (routeN.status === 0) files.routeN = write('route-n.txt', routeN.stdout);
    const ifconfig = spawnSync('ip', ['netns', 'exec', this.ns(name), 'ifconfig', '-a'], { encoding: 'utf8' });
    if (ifconfig.status === 0) files.ifconfig = write('ifconfig.txt', ifconfig.stdout);
    return files;
  }

  /** Packet counters of the rules in one chain (`iptables-save -c`), as [count, rule text] pairs. */
  counters(name: string, table: string, chain: string): { packets: number; rule: string }[] {
    const text = this.exec(name, ['iptables-save', '-c', '-t', table]);
    const out: { packets: number; rule: string }[] = [];
    for (const line of text.split('\n')) {
      const m = /^\[(\d+):\d+\] (-A (\S+) .*)$/.exec(line);
      if (m && m[3] === chain) out.push({ packets: Number(m[1]), rule: m[2] });
    }
    return out;
  }

  /**
   * The namespace's ICMP counters from /proc/net/snmp (per namespace): e.g.
   * `OutDestUnreachs`, `OutTimeExcds` say which host produced an ICMP error.
   */
  icmpCounters(name: string): Record<string, number> {
    const lines = this.exec(name, ['cat', '/proc/net/snmp']).split('\n').filter((l) => l.startsWith('Icmp: '));
    const [keys, values] = lines.map((l) => l.split(/\s+/).slice(1));
    return Object.fromEntries(keys.map((k, i) => [k, Number(values[i])]));
  }

  /** Stops every receiver and deletes every namespace of this lab. Safe to call more than once. */
  destroy(): void {
    for (const s of this.servers) if (s.exitCode === null) s.kill('SIGTERM');
    this.servers.length = 0;
    for (const ns of this.names) spawnSync('ip', ['netns', 'del', ns]);
    this.names.clear();
  }
}

const ERROR_COST = '/proc/sys/net/ipv4/route/error_cost';
const ERROR_COST_SAVED = '/run/kube-netsim-kernel-tests.error_cost';

/**
 * A router's ICMP unreachables are rate-limited per sender by
 * net.ipv4.route.error_cost, a global (init-namespace only) knob: a handful of
 * error probes in a row would otherwise see silence after the first few.
 * Sets it to 0, keeping the original in a file so a crashed run's value is
 * restored by the next one; `restoreErrorCost` puts it back.
 */
export function relaxErrorCost(): void {
  if (!existsSync(ERROR_COST)) return;
  if (!existsSync(ERROR_COST_SAVED)) writeFileSync(ERROR_COST_SAVED, readFileSync(ERROR_COST, 'utf8'));
  writeFileSync(ERROR_COST, '0\n');
}

/** Puts net.ipv4.route.error_cost back to the value saved by `relaxErrorCost`. */
export function restoreErrorCost(): void {
  if (!existsSync(ERROR_COST_SAVED)) return;
  writeFileSync(ERROR_COST, readFileSync(ERROR_COST_SAVED, 'utf8'));
  rmSync(ERROR_COST_SAVED);
}
