/**
 * Names `iptables -L` prints instead of numbers when run without `-n`:
 * service names for ports (`dpt:domain`, from /etc/services) and ICMP type
 * names (`icmp echo-request`, from iptables' own table). The listing parser
 * maps them back to the numbers iptables-save prints.
 */

/** Well-known service names → port (the common subset of /etc/services). */
export const SERVICE_PORTS: Readonly<Record<string, number>> = {
  ftp: 21, 'ftp-data': 20, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69,
  http: 80, 'www-http': 80, www: 80, kerberos: 88, pop3: 110, sunrpc: 111, ntp: 123, netbios: 139, imap: 143, 'imap2': 143,
  snmp: 161, 'snmp-trap': 162, bgp: 179, ldap: 389, https: 443, 'microsoft-ds': 445, submission: 587,
  ldaps: 636, 'kerberos-adm': 749, domains: 853, imaps: 993, pop3s: 995, socks: 1080, openvpn: 1194,
  ms_sql_s: 1433, mysql: 3306, 'nfs': 2049, etcd: 2379, 'etcd-server': 2380, postgresql: 5432, 'x11': 6000,
  'sun-sr-https': 6443, 'http-alt': 8080, webcache: 8080, 'tproxy': 8081, 'us-cli': 8082, 'radan-http': 8088,
  'ircu': 6667, 'redis': 6379, 'memcache': 11211, 'vxlan': 4789, 'geneve': 6081, 'bgpd': 2605, 'zebra': 2601,
  'kubelet': 10250, 'infowave': 2082, 'dns': 53, 'syslog': 514, 'isakmp': 500, 'ipsec-nat-t': 4500, 'mdns': 5353,
};

/** A port or port range as iptables-save prints it (`53`, `1000:2000`); undefined when a name is unknown. */
export function portNumber(text: string): string | undefined {
  if (/^\d+$/.test(text)) return text;
  const range = text.split(':');
  if (range.length === 2) {
    const a = portNumber(range[0]);
    const b = portNumber(range[1]);
    return a !== undefined && b !== undefined ? `${a}:${b}` : undefined;
  }
  const p = SERVICE_PORTS[text.toLowerCase()];
  return p === undefined ? undefined : String(p);
}

/** ICMP type names as iptables prints them → `type` or `type/code` as iptables-save prints them. */
export const ICMP_TYPES: Readonly<Record<string, string>> = {
  any: 'any',
  'echo-reply': '0', pong: '0',
  'destination-unreachable': '3',
  'network-unreachable': '3/0', 'host-unreachable': '3/1', 'protocol-unreachable': '3/2', 'port-unreachable': '3/3',
  'fragmentation-needed': '3/4', 'source-route-failed': '3/5', 'network-unknown': '3/6', 'host-unknown': '3/7',
  'network-prohibited': '3/9', 'host-prohibited': '3/10', 'TOS-network-unreachable': '3/11', 'TOS-host-unreachable': '3/12',
  'communication-prohibited': '3/13', 'host-precedence-violation': '3/14', 'precedence-cutoff': '3/15',
  'source-quench': '4',
  redirect: '5', 'network-redirect': '5/0', 'host-redirect': '5/1', 'TOS-network-redirect': '5/2', 'TOS-host-redirect': '5/3',
  'echo-request': '8', ping: '8',
  'router-advertisement': '9', 'router-solicitation': '10',
  'time-exceeded': '11', 'ttl-exceeded': '11', 'ttl-zero-during-transit': '11/0', 'ttl-zero-during-reassembly': '11/1',
  'parameter-problem': '12', 'ip-header-bad': '12/0', 'required-option-missing': '12/1',
  'timestamp-request': '13', 'timestamp-reply': '14', 'address-mask-request': '17', 'address-mask-reply': '18',
};
