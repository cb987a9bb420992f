/**
 * A private network namespace with the conformance DNS responder in it: a veth
 * pair inside the namespace (10.99.0.1/24 and 10.99.0.2/24, optionally an IPv6
 * address so getaddrinfo's AI_ADDRCONFIG asks AAAA), /etc/netns/<ns>/ files
 * that `ip netns exec` mounts over /etc (resolv.conf pointing at the responder,
 * an nsswitch.conf of `files dns` so mDNS never answers `.local` names, a hosts
 * file with localhost only). Nothing leaves the namespace: the responder
 * answers every name. The namespace and its /etc/netns folder are always removed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Cluster } from '../../src/core/model/cluster';

/** The responder's address. */
export const RESPONDER = '10.99.0.1';

/** Why these tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (process.platform !== 'linux') return 'DNS conformance needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'DNS conformance needs root (ip netns); run as root to compare with the real resolvers';
  if (spawnSync('ip', ['netns', 'list']).status !== 0) return 'DNS conformance needs iproute2 with netns support';
  if (spawnSync('getent', ['--version']).status !== 0) return 'DNS conformance needs getent (glibc)';
  return undefined;
}

/** A query as the responder saw it. */
export interface LoggedQuery { name: string; type: string; transport: string; server: string }

/** A running namespace: run commands in it, read and reset the responder's log. */
export interface Netns {
  name: string;
  run(cmd: string[], timeoutMs?: number): Promise<{ stdout: string; status: number | null }>;
  setResolvConf(text: string): void;
  queries(): LoggedQuery[];
  resetLog(): void;
}

function sh(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

/**
 * Waits until every responder has read what was sent to it: a silent responder's
 * queries may still sit in its socket when the client has already exited (it got
 * its answer elsewhere). Done when no UDP socket in the namespace has bytes
 * queued and the log stopped growing; bounded to 3 s.
 */
function settle(ns: string, log: string): void {
  const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const ss = spawnSync('ip', ['netns', 'exec', ns, 'ss', '-H', '-u', '-n', '-a'], { encoding: 'utf8' });
    const queued = ss.stdout.split('\n').some((l) => Number(l.trim().split(/\s+/)[1] ?? 0) > 0);
    const size = readFileSync(log, 'utf8').length;
    if (!queued && size === last) return;
    last = size;
    pause(50);
  }
}

/** Creates the namespace and responder, runs `fn`, and tears everything down whatever happens. */
export async function withNetns(opts: { ipv6: boolean; dns?: Cluster['dns']; drop?: string[]; extra?: { address: string; drop?: string[] }[] }, fn: (ns: Netns) => Promise<void>): Promise<void> {
  const name = `kns-dnsconf-${process.pid}-${Math.floor(performance.now())}`;
  const etc = `/etc/netns/${name}`;
  const work = mkdtempSync(join(tmpdir(), 'kns-dnsconf-'));
  const log = join(work, 'queries.jsonl');
  writeFileSync(log, '');
  const responders: ChildProcess[] = [];
  try {
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'nsswitch.conf'), 'hosts: files dns\n');
    writeFileSync(join(etc, 'hosts'), '127.0.0.1 localhost\n');
    writeFileSync(join(etc, 'resolv.conf'), `nameserver ${RESPONDER}\n`);
    sh(['netns', 'add', name]);
    sh(['-n', name, 'link', 'set', 'lo', 'up']);
    sh(['-n', name, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    sh(['-n', name, 'addr', 'add', `${RESPONDER}/24`, 'dev', 'v0']);
    sh(['-n', name, 'addr', 'add', '10.99.0.2/24', 'dev', 'v1']);
    if (opts.ipv6) sh(['-n', name, 'addr', 'add', 'fd00:99::2/64', 'dev', 'v1', 'nodad']);
    sh(['-n', name, 'link', 'set', 'v0', 'up']);
    sh(['-n', name, 'link', 'set', 'v1', 'up']);
    for (const x of opts.extra ?? []) sh(['-n', name, 'addr', 'add', `${x.address}/24`, 'dev', 'v0']);
    const main = join(__dirname, 'responder-main.ts');
    for (const r of [{ address: RESPONDER, drop: opts.drop }, ...(opts.extra ?? [])]) {
      const child = spawn('ip', ['netns', 'exec', name, process.execPath, '--import', 'tsx', main, r.address, JSON.stringify({ log, dns: opts.dns, drop: r.drop })], { stdio: ['ignore', 'pipe', 'pipe'] });
      responders.push(child);
      await new Promise<void>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('"ready"')) resolve(); });
        child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
        child.on('exit', (code) => reject(new Error(`responder exited (${code}): ${err}`)));
      });
    }
    await fn({
      name,
      run: (cmd, timeoutMs = 20000) => new Promise((resolve) => {
        const p = spawn('ip', ['netns', 'exec', name, ...cmd], { stdio: ['ignore', 'pipe', 'ignore'], timeout: timeoutMs });
        let stdout = '';
        p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        p.on('close', (status) => resolve({ stdout, status }));
      }),
      setResolvConf: (text) => writeFileSync(join(etc, 'resolv.conf'), text),
      queries: () => {
        settle(name, log);
        return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as LoggedQuery);
      },
      resetLog: () => writeFileSync(log, ''),
    });
  } finally {
    for (const child of responders) {
      if (child.pid === undefined || child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    spawnSync('ip', ['netns', 'del', name]);
    if (existsSync(etc)) rmSync(etc, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
