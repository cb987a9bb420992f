/**
 * The benchmark's kube-proxy dump: what scripts/gen-kube-proxy-dump.ts writes,
 * plus the built-in chains and their jumps into kube-proxy's chains (which
 * kube-proxy adds with `iptables -I`), so a packet reaches KUBE-SERVICES as on
 * a real node.
 */
import { generateKubeProxyDump } from './gen-kube-proxy-dump';

/** Adds the built-in chains and their jumps to a generated dump. */
export function withBuiltins(dump: string): string {
  return dump
    .replace('*filter\n', '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n')
    .replace('\n-A KUBE-FIREWALL', '\n-A INPUT -j KUBE-FIREWALL\n-A FORWARD -j KUBE-FORWARD\n-A KUBE-FIREWALL')
    .replace('*nat\n', '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n')
    .replace('\n-A KUBE-SERVICES', '\n-A PREROUTING -j KUBE-SERVICES\n-A OUTPUT -j KUBE-SERVICES\n-A POSTROUTING -j KUBE-POSTROUTING\n-A KUBE-SERVICES');
}

/** The benchmark dump for `services` × `endpoints`, deterministic. */
export function benchDump(services: number, endpoints: number): string {
  return withBuiltins(generateKubeProxyDump({ services, endpointsPerService: endpoints, seed: 1 }));
}
