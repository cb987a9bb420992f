/**
 * `ipvsadm -Ln` / `ipvsadm -ln` (kube-proxy's IPVS mode): virtual services
 * (`TCP  10.96.0.1:443 rr`) each followed by their real servers
 * (`  -> 172.18.0.3:6443  Masq  1  0  0`). The listing must be numeric (`-n`):
 * names cannot be resolved offline.
 */
import { type Issue, type ParseResult, type SourceLine, type Span, issue } from '../../source';
import { type IPv4, parseIPv4 } from '../../net/ipv4';
import { type Word, wordsOf, trimmedSpan, pushRun } from '../text/line-words';
import { linesFor } from '../text/paste-sections';
import { otherThan } from '../text/detect';

/** One real server (backend) of a virtual service. */
export interface IpvsRealServer {
  addr: IPv4;
  port: number;
  /** Forwarding method: `Masq` (NAT), `Route` (direct routing), `Tunnel` (IPIP), `Local`. */
  forward: string;
  /** Scheduler weight; weight 0 takes no new connections. */
  weight: number;
  activeConn: number;
  inactConn: number;
  raw: string;
  span: Span;
}

/** One IPVS virtual service: an address:port (or firewall mark) balanced over real servers. */
export interface IpvsVirtualService {
  /** `TCP`, `UDP`, `SCTP`, or `FWM` for a firewall-mark service. */
  protocol: 'TCP' | 'UDP' | 'SCTP' | 'FWM';
  addr?: IPv4;
  port?: number;
  /** The mark of a `FWM` service. */
  fwmark?: number;
  /** Scheduler: `rr`, `wrr`, `lc`, `sh`, … */
  scheduler: string;
  /** `persistent N`: session affinity timeout in seconds. */
  persistent?: number;
  /** Other flags as printed (`ops`, `mask …`, scheduler flags). */
  flags: string[];
  realServers: IpvsRealServer[];
  raw: string;
  span: Span;
}

/** An `ipvsadm -Ln` listing. */
export interface IpvsDump {
  services: IpvsVirtualService[];
}

/** `A.B.C.D:PORT` → address and port; undefined when it is not that. */
function endpoint(w: Word | undefined): { addr: IPv4; port: number } | undefined {
  const m = w ? /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(w.text) : null;
  const addr = m ? parseIPv4(m[1]) : undefined;
  if (!m || addr === undefined || Number(m[2]) > 65535) return undefined;
  return { addr, port: Number(m[2]) };
}

function nat(w: Word | undefined): number | undefined {
  return w && /^\d+$/.test(w.text) ? Number(w.text) : undefined;
}

function readService(l: SourceLine, ws: Word[], issues: Issue[]): IpvsVirtualService | undefined {
  const protocol = ws[0].text as IpvsVirtualService['protocol'];
  const svc: IpvsVirtualService = { protocol, scheduler: ws[2]?.text ?? '', flags: [], realServers: [], raw: l.text, span: trimmedSpan(l) };
  if (protocol === 'FWM') {
    const mark = ws[1] && /^(?:0x[0-9a-f]+|\d+)$/i.test(ws[1].text) ? Number(ws[1].text) : undefined;
    if (mark === undefined) { issues.push(issue('ipvs-bad-fwmark', 'error', (ws[1] ?? ws[0]).span, 'FWM service needs a mark')); return undefined; }
    svc.fwmark = mark;
  } else {
    const ep = endpoint(ws[1]);
    if (!ep) { issues.push(issue('ipvs-bad-address', 'error', (ws[1] ?? ws[0]).span, `'${ws[1]?.text ?? ''}' is not A.B.C.D:PORT (use ipvsadm -n)`)); return undefined; }
    svc.addr = ep.addr;
    svc.port = ep.port;
  }
  if (!ws[2]) { issues.push(issue('ipvs-missing-scheduler', 'error', ws[1].span, 'virtual service without a scheduler')); return undefined; }
  for (let i = 3; i < ws.length; i++) {
    if (ws[i].text === 'persistent' && nat(ws[i + 1]) !== undefined) svc.persistent = nat(ws[++i]);
    else svc.flags.push(ws[i].text);
  }
  return svc;
}

/** Parses `ipvsadm -Ln` output. Never throws. */
export function parseIpvsadm(text: string): ParseResult<IpvsDump> {
  const issues: Issue[] = [];
  const services: IpvsVirtualService[] = [];
  const isOther = otherThan(['ipvsadm']);
  let cur: IpvsVirtualService | undefined;
  for (const l of linesFor(text, ['ipvsadm'], issues)) {
    const t = l.text.trim();
    if (t === '' || /^IP\s+Virtual\s+Server\s+version/.test(t) || /^Prot\s+LocalAddress:Port/.test(t) || /^->\s+RemoteAddress:Port/.test(t)) continue;
    const ws = wordsOf(l);
    if (/^(?:TCP|UDP|SCTP|FWM)$/.test(ws[0].text)) {
      if (/^\[/.test(ws[1]?.text ?? '')) {
        issues.push(issue('ipvs-ipv6-skipped', 'info', trimmedSpan(l), 'IPv6 virtual service skipped: the simulator models IPv4 only'));
        cur = undefined;
        continue;
      }
      cur = readService(l, ws, issues);
      if (cur) services.push(cur);
      continue;
    }
    if (ws[0].text === '->') {
      if (!cur) {
        pushRun(issues, issue('ipvs-orphan-real-server', 'warning', trimmedSpan(l), 'real server without a readable virtual service above it: not read'));
        continue;
      }
      const ep = endpoint(ws[1]);
      const [weight, active, inact] = [nat(ws[3]), nat(ws[4]), nat(ws[5])];
      if (!ep) { issues.push(issue('ipvs-bad-address', 'error', (ws[1] ?? ws[0]).span, `'${ws[1]?.text ?? ''}' is not A.B.C.D:PORT (use ipvsadm -n)`)); continue; }
      if (!ws[2] || weight === undefined) { issues.push(issue('ipvs-bad-real-server', 'error', trimmedSpan(l), 'expected `-> ADDR:PORT Forward Weight ActiveConn InActConn`')); continue; }
      cur.realServers.push({ ...ep, forward: ws[2].text, weight, activeConn: active ?? 0, inactConn: inact ?? 0, raw: l.text, span: trimmedSpan(l) });
      cur.span = { ...cur.span, end: trimmedSpan(l).end, endLine: l.line, endColumn: trimmedSpan(l).endColumn };
      continue;
    }
    const other = isOther(l.text);
    pushRun(issues, issue(other ? 'ipvs-line-other-format' : 'ipvs-line-unrecognised', other ? 'info' : 'warning', trimmedSpan(l),
      other ? 'lines of another command\'s output: left to their own parser' : 'not an `ipvsadm -Ln` line: not read'));
  }
  return { value: { services }, issues };
}
