/**
 * Finding the token under the cursor in a line of a topology or a dump: an IPv4
 * address (possibly followed by `/len` or `:port`) or an iptables chain name.
 * Pure: hovers and navigation call these with a line of text and a column.
 */
import { parseIPv4 } from '../../core/net/ipv4';

/** A token found in a line: its text and its 0-based [start, end) columns. */
export interface LineToken {
  text: string;
  start: number;
  end: number;
}

/** An address under the cursor, with the prefix length or port written after it, when one was. */
export interface AddressToken extends LineToken {
  prefixLen?: number;
  port?: number;
}

const ADDRESS = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2})|:(\d{1,5}))?(?![\w.]*\d)/g;

/** The IPv4 address the 0-based `character` falls on (including a trailing `/len` or `:port`), if any. */
export function addressAt(line: string, character: number): AddressToken | undefined {
  ADDRESS.lastIndex = 0;
  for (let m = ADDRESS.exec(line); m; m = ADDRESS.exec(line)) {
    const start = m.index;
    const end = start + m[0].length;
    if (character < start || character > end) continue;
    if (parseIPv4(m[1]) === undefined) return undefined;
    const tok: AddressToken = { text: m[1], start, end: start + m[1].length };
    if (m[2] !== undefined && Number(m[2]) <= 32) tok.prefixLen = Number(m[2]);
    if (m[3] !== undefined && Number(m[3]) <= 65535) tok.port = Number(m[3]);
    return tok;
  }
  return undefined;
}

// Chain names as iptables allows them (up to 28 characters, no blanks); kube-proxy's are upper-case with dashes.
const WORD = /[A-Za-z0-9_][A-Za-z0-9_.-]*/g;

/** The chain-like word the 0-based `character` falls on (`KUBE-SVC-ERIFXISQEP7F7OF4`), if any. */
export function wordAt(line: string, character: number): LineToken | undefined {
  WORD.lastIndex = 0;
  for (let m = WORD.exec(line); m; m = WORD.exec(line)) {
    const start = m.index;
    const end = start + m[0].length;
    if (character >= start && character <= end) return { text: m[0], start, end };
  }
  return undefined;
}
