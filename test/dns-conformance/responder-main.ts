/**
 * The conformance DNS responder: runs inside the test's network namespace,
 * answers every query on UDP and TCP 53 of ADDRESS from the same records the
 * simulator uses (the DNS test cluster with the given `dns:` options), and
 * appends one JSON line per query to the `log` file. Names listed in `drop` (`*`: all) get no reply.
 * Usage: node --import tsx responder-main.ts ADDRESS '{"log": FILE, "dns": …, "drop": […]}'
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { appendFileSync } from 'node:fs';
import type { Cluster } from '../../src/core/model/cluster';
import { answerQuery, type RecordType } from '../../src/core/dns/cluster-records';
import { serverConfigOf } from '../../src/core/dns/server-config';
import { seedCluster } from '../core/dns/fixture';
import { readQuestion, response, TYPE_NAME } from './dns-wire';

const address = process.argv[2] ?? '10.99.0.1';
const opts = JSON.parse(process.argv[3] ?? '{}') as { dns?: Cluster['dns']; drop?: string[]; log: string };
const cluster = seedCluster({ dns: opts.dns });
const cfg = serverConfigOf(cluster.dns, cluster.dnsDomain);
const drop = new Set((opts.drop ?? []).map((n) => n.toLowerCase()));

function answer(msg: Buffer, transport: string): Buffer | undefined {
  const q = readQuestion(msg);
  if (!q) return undefined;
  const type = TYPE_NAME[q.type] ?? String(q.type);
  // Logged synchronously before the reply leaves, so the log is complete when the client exits.
  appendFileSync(opts.log, `${JSON.stringify({ name: q.name.toLowerCase(), type, transport, server: address })}\n`);
  if (drop.has('*') || drop.has(q.name.toLowerCase())) return undefined;
  const known = ['A', 'AAAA', 'SRV', 'CNAME', 'PTR'].includes(type);
  const a = known ? answerQuery(cluster, cfg, q.name, type as RecordType) : undefined;
  // `unknown` (outside the topology) is answered NXDOMAIN, as the simulator treats it.
  if (!a || a.rcode === 'NXDOMAIN' || a.rcode === 'unknown') return response(q, 3, []);
  return response(q, 0, a.rcode === 'records' ? a.records : []);
}

const udp = createSocket('udp4');
udp.on('message', (msg, rinfo) => {
  const r = answer(msg, 'udp');
  if (r) udp.send(r, rinfo.port, rinfo.address);
});
const tcp = createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const len = buf.readUInt16BE(0);
      const r = answer(buf.subarray(2, 2 + len), 'tcp');
      buf = buf.subarray(2 + len);
      if (r) {
        const l = Buffer.alloc(2);
        l.writeUInt16BE(r.length, 0);
        sock.write(Buffer.concat([l, r]));
      }
    }
  });
  sock.on('error', () => undefined);
});
let ready = 0;
const up = (): void => { if (++ready === 2) process.stdout.write('{"ready":true}\n'); };
udp.bind(53, address, up);
tcp.listen(53, address, up);
