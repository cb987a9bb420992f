/**
 * The chain names kube-proxy (iptables mode) gives a Service port and an
 * endpoint: `KUBE-SVC-` / `KUBE-SEP-` plus the first 16 characters of the
 * base32 encoding of a SHA-256 digest (src/core/sha256.ts). The names match kube-proxy's (checked in tests
 * against the seed's KUBE-SVC-ERIFXISQEP7F7OF4 and the kubernetes test dumps).
 */

import { sha256 } from '../sha256';

export { sha256 };

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (the 16-character prefix never reaches the padding). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** kube-proxy's 16-character hash of a text. */
export function kubeHash(s: string): string {
  return base32(sha256(s)).slice(0, 16);
}

/** `KUBE-SVC-…` for a Service port: hash of `ns/svc:port` + lower-case protocol. */
export function svcChainName(servicePortName: string, protocol: string): string {
  return `KUBE-SVC-${kubeHash(servicePortName + protocol.toLowerCase())}`;
}

/** `KUBE-EXT-…` (external traffic: NodePort, externalIPs, load balancer IPs): same hash as the SVC chain. */
export function extChainName(servicePortName: string, protocol: string): string {
  return `KUBE-EXT-${kubeHash(servicePortName + protocol.toLowerCase())}`;
}

/** `KUBE-SEP-…` for one endpoint (`ip:port`) of a Service port. */
export function sepChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${kubeHash(servicePortName + protocol.toLowerCase() + endpoint)}`;
}
