// A tiny traffic probe for the kernel conformance tests, run inside a network
// namespace with `ip netns exec NS node probe.mjs …`. Plain Node, no imports
// beyond node:*, so it starts fast and needs no TypeScript loader.
//
//   serve LABEL PORT[,PORT…]   listen on 0.0.0.0 for UDP and TCP on each port.
//                               Prints `ready` once bound, then one JSON line per
//                               packet/connection received: {label, proto, local,
//                               localPort, peer, peerPort}. Answers each with the
//                               same JSON so the sender learns who got it and
//                               which source address the receiver saw.
//   send PROTO ADDR PORT COUNT TIMEOUT_MS [SIZE]
//                               (SIZE: for UDP, the IP packet size in bytes; the payload
//                               is padded to it. Linux sends UDP with DF set.)
//                               sends COUNT probes (each from a fresh socket and
//                               source port, so a fresh conntrack entry and a
//                               fresh `statistic` draw) and prints one JSON line: {results: [...]},
//                               each result {kind: reply|refused|unreachable|timeout|error,
//                               code?, from?, answer?}.
import dgram from 'node:dgram';
import net from 'node:net';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'serve') serve(args[0], args[1].split(',').map(Number));
else if (mode === 'send') void send(args[0], args[1], Number(args[2]), Number(args[3]), Number(args[4]), args[5] ? Number(args[5]) : undefined);
else { process.stderr.write('usage: probe.mjs serve LABEL PORTS | send PROTO ADDR PORT COUNT TIMEOUT_MS\n'); process.exit(2); }

function serve(label, ports) {
  // The harness holds our stdin open; when it goes away (even killed), so do we,
  // and a hard cap keeps a forgotten receiver from living on in a deleted namespace.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
  setTimeout(() => process.exit(0), 120_000).unref();
  let pending = ports.length * 2;
  const bound = () => { if (--pending === 0) process.stdout.write('ready\n'); };
  for (const port of ports) {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (_msg, rinfo) => {
      const seen = { label, proto: 'udp', local: localOf(udp), localPort: port, peer: rinfo.address, peerPort: rinfo.port };
      process.stdout.write(JSON.stringify(seen) + '\n');
      udp.send(JSON.stringify(seen), rinfo.port, rinfo.address);
    });
    // With a wildcard bind the datagram's own destination is not exposed by dgram;
    // the sender's view (`from`) and the receiver's label carry what the tests need.
    udp.bind(port, '0.0.0.0', bound);
    const tcp = net.createServer((sock) => {
      const seen = { label, proto: 'tcp', local: sock.localAddress, localPort: sock.localPort, peer: sock.remoteAddress, peerPort: sock.remotePort };
      process.stdout.write(JSON.stringify(seen) + '\n');
      sock.on('error', () => {});
      sock.end(JSON.stringify(seen));
    });
    tcp.listen(port, '0.0.0.0', bound);
  }
}

function localOf(sock) {
  try { return sock.address().address; } catch { return ''; }
}

/** Errors that mean an ICMP unreachable (or a local "no route") came back. */
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM']);

function classify(err) {
  if (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET') return { kind: 'refused', code: err.code };
  if (UNREACHABLE.has(err.code)) return { kind: 'unreachable', code: err.code };
  // ICMP fragmentation needed (libuv turns on IP_RECVERR, so a UDP socket hears it), or a local MTU refusal.
  if (err.code === 'EMSGSIZE') return { kind: 'too-big', code: err.code };
  return { kind: 'error', code: err.code ?? String(err.message) };
}

function probeUdp(addr, port, timeoutMs, seq, localPort, size) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    let done = false;
    const finish = (r) => { if (done) return; done = true; clearTimeout(timer); try { sock.close(); } catch { /* already closed */ } resolve(r); };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    // A connected socket is what makes the kernel report ICMP port unreachable
    // (and other hard errors) back to the application as ECONNREFUSED.
    sock.on('error', (err) => finish(classify(err)));
    sock.on('message', (msg, rinfo) => {
      let answer;
      try { answer = JSON.parse(msg.toString()); } catch { answer = undefined; }
      finish({ kind: 'reply', from: rinfo.address, answer });
    });
    sock.bind(localPort, () => {
      // connect() routes the socket: a route the sender's own host refuses fails it here.
      sock.connect(port, addr, (cerr) => {
        if (cerr) { finish(classify(cerr)); return; }
        // IPv4 header (20) and UDP header (8) make up the rest of the packet.
        const text = `probe ${seq}`;
        const payload = size ? text.padEnd(Math.max(text.length, size - 28), '.') : text;
        sock.send(payload, (err) => { if (err) finish(classify(err)); });
      });
    });
  });
}

function probeTcp(addr, port, timeoutMs, localPort) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: addr, port, localPort });
    let done = false;
    let data = '';
    let connected = false;
    const finish = (r) => { if (done) return; done = true; clearTimeout(timer); sock.destroy(); resolve(r); };
    // A handshake that completes on the client's side while the server never
    // answers (its final ACK lost) is still silence for the application; say so.
    const timer = setTimeout(() => finish(connected ? { kind: 'timeout', connected } : { kind: 'timeout' }), timeoutMs);
    sock.on('connect', () => { connected = true; });
    sock.on('error', (err) => finish(classify(err)));
    sock.on('data', (d) => { data += d.toString(); });
    sock.on('end', () => {
      let answer;
      try { answer = JSON.parse(data); } catch { answer = undefined; }
      finish({ kind: 'reply', from: sock.remoteAddress, answer });
    });
  });
}

async function send(proto, addr, port, count, timeoutMs, size) {
  const results = [];
  // Every probe gets its own source port, distinct within the run: a reused port
  // would hit the conntrack entry of an earlier probe and repeat its NAT choice
  // instead of drawing a fresh `statistic` outcome (random ephemeral ports
  // collide a few times in a few hundred probes).
  const base = 20000 + Math.floor(Math.random() * 10000);
  for (let i = 0; i < count; i++) {
    results.push(proto === 'udp' ? await probeUdp(addr, port, timeoutMs, i, base + i, size) : await probeTcp(addr, port, timeoutMs, base + i));
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
}
