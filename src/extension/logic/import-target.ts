/**
 * Where imported command output goes: which topology key a format fills
 * (`iptables`, `routes`, `interfaces`, `resolvConf`) and the file name it is
 * saved under, next to the topology in a folder named after the host
 * (`k8s-agent-0/iptables-save.txt`).
 */
import type { FormatName } from '../../core/parse/text/detect';

/** The topology key and file name for an imported dump of `format`; undefined when the format is not a host source. */
export interface ImportTarget {
  key: 'iptables' | 'routes' | 'interfaces' | 'resolvConf' | 'neighbours' | 'fdb';
  /** For a listing of one table: the table (`iptables: {nat: {file: …}}`). */
  table?: string;
  fileName: string;
}

/** What an imported dump of `format` becomes. */
export function importTargetOf(format: FormatName, table?: string): ImportTarget | undefined {
  switch (format) {
    case 'iptables-save': return { key: 'iptables', fileName: 'iptables-save.txt' };
    case 'iptables-S': return table ? { key: 'iptables', table, fileName: `iptables-t-${table}-S.txt` } : { key: 'iptables', fileName: 'iptables-S.txt' };
    case 'iptables-list': return { key: 'iptables', table: table ?? 'filter', fileName: `iptables-t-${table ?? 'filter'}-L-n-v.txt` };
    case 'route-n': return { key: 'routes', fileName: 'route-n.txt' };
    case 'ip-route': return { key: 'routes', fileName: 'ip-route.txt' };
    case 'azure-route-table': return { key: 'routes', fileName: 'route-table.txt' };
    case 'ip-addr': return { key: 'interfaces', fileName: 'ip-addr.txt' };
    case 'ifconfig': return { key: 'interfaces', fileName: 'ifconfig.txt' };
    case 'ip-link': return { key: 'interfaces', fileName: 'ip-d-link.txt' };
    case 'ip-neigh': return { key: 'neighbours', fileName: 'ip-neigh.txt' };
    case 'bridge-fdb': return { key: 'fdb', fileName: 'bridge-fdb.txt' };
    case 'resolv-conf': return { key: 'resolvConf', fileName: 'resolv.conf' };
    default: return undefined;
  }
}

/** A folder name for a host (`kube-system/kube-dns-x` → `kube-system_kube-dns-x`). */
export function folderOfHost(host: string): string {
  return host.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The table a listing names in its own text (`iptables -t nat -L` prompt line), if any. */
export function tableOfListing(text: string): string | undefined {
  return /iptables(?:-legacy|-nft)?\b[^\n]*?-t\s*(nat|filter|mangle|raw|security)\b/.exec(text.slice(0, 2000))?.[1]
    ?? (/^Chain (PREROUTING|POSTROUTING)\b/m.test(text.slice(0, 20000)) && /^Chain (KUBE-SERVICES|DOCKER|KUBE-POSTROUTING)\b/m.test(text) ? 'nat' : undefined);
}
