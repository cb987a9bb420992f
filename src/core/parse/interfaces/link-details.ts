/**
 * The detail lines `ip -d link show` / `ip -d addr show` print under a
 * device's `link/…` line: the device kind and its settings (`vxlan id 1 local
 * 10.240.0.4 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto …`,
 * `ipip any remote any local any ttl inherit nopmtudisc`, `veth`, `bridge …
 * nf_call_iptables 0 …`), and for a bridge port a second line (`bridge_slave
 * state forwarding … hairpin on …`). Generic attributes (`addrgenmode`,
 * `numtxqueues`, `gso_max_size` …) follow on the same line and are skipped.
 */
import { type Issue, issue } from '../../source';
import { type IPv4, parseIPv4 } from '../../net/ipv4';
import type { BridgePortLink, LinkDetails } from '../../model/links';
import type { Word } from '../text/line-words';

/** Device kinds `ip -d link` names at the start of a detail line (ip-link(8) TYPE list, and their `_slave` port lines). */
const KINDS = new Set([
  'vxlan', 'ipip', 'veth', 'bridge', 'dummy', 'geneve', 'vlan', 'macvlan', 'macvtap', 'ipvlan', 'ipvtap', 'wireguard', 'tun',
  'bond', 'vrf', 'gre', 'gretap', 'ip6gre', 'ip6gretap', 'ip6tnl', 'sit', 'vti', 'vti6', 'xfrm', 'nlmon', 'openvswitch',
  'team', 'ifb', 'netkit', 'bareudp', 'erspan', 'ip6erspan', 'hsr', 'macsec', 'can', 'vcan', 'vxcan', 'batadv', 'lowpan',
]);
/** Port lines: a device's role under its master. */
const PORT_KINDS = new Set(['bridge_slave', 'bond_slave', 'team_slave', 'openvswitch_slave', 'vrf_slave']);
/** Words that begin a line of generic attributes only (a physical device has no kind line). */
const GENERIC = new Set(['addrgenmode', 'numtxqueues', 'numrxqueues', 'gso_max_size', 'gso_max_segs', 'tso_max_size', 'tso_max_segs', 'gro_max_size', 'parentbus', 'parentdev', 'altname', 'alias', 'vf', 'portname', 'portid', 'switchid']);

/** What one detail line said. */
export interface LinkDetailLine {
  details?: LinkDetails;
  port?: BridgePortLink;
}

/** Whether an indented line is a detail line this reader knows (a kind, a port role, or generic attributes). */
export function isLinkDetailLine(ws: Word[]): boolean {
  const k = ws[0]?.text ?? '';
  return KINDS.has(k) || PORT_KINDS.has(k) || GENERIC.has(k);
}

/** The value after keyword `k` on the line, when there is one. */
function valueOf(ws: Word[], k: string): Word | undefined {
  const i = ws.findIndex((w) => w.text === k);
  return i > 0 ? ws[i + 1] : undefined;
}

function addressOf(w: Word | undefined, issues: Issue[]): IPv4 | undefined {
  if (!w || w.text === 'any') return undefined;
  const ip = parseIPv4(w.text);
  if (ip === undefined && !w.text.includes(':')) issues.push(issue('link-bad-address', 'error', w.span, `'${w.text}' is not an IPv4 address`));
  return ip;
}

function numberOf(w: Word | undefined, max: number, what: string, issues: Issue[]): number | undefined {
  if (!w) return undefined;
  const n = /^\d+$/.test(w.text) ? Number(w.text) : NaN;
  if (!(n >= 0 && n <= max)) {
    issues.push(issue('link-bad-number', 'error', w.span, `'${w.text}' is not a valid ${what}`));
    return undefined;
  }
  return n;
}

/** `on`/`off` or `1`/`0` after keyword `k`. */
function switchOf(ws: Word[], k: string): boolean | undefined {
  const v = valueOf(ws, k)?.text;
  return v === 'on' || v === '1' ? true : v === 'off' || v === '0' ? false : undefined;
}

/** Reads one detail line (its words, the kind first). Undefined for a line of generic attributes only. */
export function readLinkDetailLine(ws: Word[], issues: Issue[]): LinkDetailLine | undefined {
  const k = ws[0].text;
  const last = ws[ws.length - 1];
  const span = { ...ws[0].span, end: last.span.end, endLine: last.span.endLine, endColumn: last.span.endColumn };
  const has = (w: string) => ws.some((x) => x.text === w);
  switch (k) {
    case 'vxlan': {
      const idWord = valueOf(ws, 'id');
      const vni = numberOf(idWord, 0xffffff, 'VXLAN id', issues);
      if (vni === undefined) {
        if (!idWord) issues.push(issue('link-vxlan-no-id', 'error', ws[0].span, 'a vxlan line without `id`: the VNI is unknown'));
        return { details: { kind: 'other', name: 'vxlan', span } };
      }
      const local = addressOf(valueOf(ws, 'local'), issues);
      const remote = addressOf(valueOf(ws, 'remote'), issues);
      const group = addressOf(valueOf(ws, 'group'), issues);
      const dstport = numberOf(valueOf(ws, 'dstport'), 65535, 'UDP port', issues);
      const dev = valueOf(ws, 'dev')?.text;
      return {
        details: {
          kind: 'vxlan', vni, learning: !has('nolearning'), span,
          ...(local !== undefined ? { local } : {}), ...(remote !== undefined ? { remote } : {}), ...(group !== undefined ? { group } : {}),
          ...(dstport !== undefined ? { dstport } : {}), ...(dev ? { dev } : {}),
        },
      };
    }
    case 'ipip': {
      const local = addressOf(valueOf(ws, 'local'), issues);
      const remote = addressOf(valueOf(ws, 'remote'), issues);
      const dev = valueOf(ws, 'dev')?.text;
      return {
        details: {
          kind: 'ipip', pmtudisc: !has('nopmtudisc'), span,
          ...(local !== undefined ? { local } : {}), ...(remote !== undefined ? { remote } : {}), ...(dev ? { dev } : {}),
        },
      };
    }
    case 'veth': return { details: { kind: 'veth', span } };
    case 'bridge': {
      const nf = switchOf(ws, 'nf_call_iptables');
      const vf = switchOf(ws, 'vlan_filtering');
      return { details: { kind: 'bridge', span, ...(nf !== undefined ? { nfCallIptables: nf } : {}), ...(vf !== undefined ? { vlanFiltering: vf } : {}) } };
    }
    case 'bridge_slave': {
      const state = valueOf(ws, 'state')?.text;
      const proxyArp = switchOf(ws, 'proxy_arp');
      const learning = switchOf(ws, 'learning');
      return {
        port: {
          hairpin: switchOf(ws, 'hairpin') ?? false, span,
          ...(state ? { state } : {}), ...(proxyArp !== undefined ? { proxyArp } : {}), ...(learning !== undefined ? { learning } : {}),
        },
      };
    }
    default:
      if (KINDS.has(k)) return { details: { kind: 'other', name: k, span } };
      return undefined;
  }
}
