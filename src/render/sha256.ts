/**
 * SHA-256 over a string's UTF-8 bytes, as base64: what a Content-Security-Policy
 * `'sha256-…'` source needs.
 */
import { sha256 } from '../core/sha256';

/** The SHA-256 digest of `text` (UTF-8), base64-encoded. */
export function sha256Base64(text: string): string {
  return base64(sha256(text));
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return s;
}
