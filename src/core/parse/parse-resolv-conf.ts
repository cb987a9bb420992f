/** resolv.conf → ResolvConf. (Stub: being written.) */
import type { ParseResult } from '../source';
import { DEFAULT_RESOLV_OPTIONS, type ResolvConf } from './resolv-model';

/** Parses resolv.conf as glibc reads it. Never throws. */
export function parseResolvConf(_text: string): ParseResult<ResolvConf> {
  return { value: { nameservers: [], search: [], options: { ...DEFAULT_RESOLV_OPTIONS, other: [] }, optionSpans: {} }, issues: [] };
}
