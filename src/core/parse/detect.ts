/** Format detection for pasted command output. (Stub: being written.) */

/** Every input format the project reads, by its `--format` name. */
export type FormatName =
  | 'iptables-save' | 'iptables-list' | 'iptables-S'
  | 'route-n' | 'ip-route' | 'azure-route-table' | 'ip-rule'
  | 'ip-addr' | 'ifconfig' | 'resolv-conf' | 'kubectl' | 'ipvsadm' | 'ipset' | 'nft' | 'corefile' | 'topology';

/** Guesses the format of pasted text from its content; undefined when nothing fits. */
export function detectFormat(_text: string): FormatName | undefined {
  return undefined;
}
