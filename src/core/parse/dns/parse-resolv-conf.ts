/**
 * resolv.conf(5) as glibc's resolver reads it: at most three `nameserver`s, the
 * last `search`/`domain` line sets the search list, `options` accumulate with
 * glibc's caps (ndots ≤ 15, timeout ≤ 30, attempts ≤ 5), `#`/`;` start comments.
 */
import { type Issue, type ParseResult, issue } from '../../source';
import { parseIPv4 } from '../../net/ipv4';
import { DEFAULT_RESOLV_OPTIONS, type ResolvConf, type ResolvOptions } from '../../model/resolv';
import { wordsOf, trimmedSpan, pushRun } from '../text/line-words';
import { linesFor } from '../text/paste-sections';
import { otherThan } from '../text/detect';

/** glibc's MAXNS: nameservers after the third are never queried. */
const MAXNS = 3;
/** Numeric options and glibc's upper bounds (RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY). */
const NUMERIC: Record<string, { key: 'ndots' | 'timeout' | 'attempts'; max: number }> = {
  ndots: { key: 'ndots', max: 15 }, timeout: { key: 'timeout', max: 30 }, attempts: { key: 'attempts', max: 5 },
};
/** Flag options the model keeps, by their resolv.conf spelling. */
const FLAGS: Record<string, keyof ResolvOptions> = {
  rotate: 'rotate', 'single-request': 'singleRequest', 'single-request-reopen': 'singleRequestReopen', 'use-vc': 'useVc',
  'no-aaaa': 'noAaaa', edns0: 'edns0', 'trust-ad': 'trustAd',
};
/** Options glibc knows that do not change which queries are sent where. */
const KNOWN_OTHER = new Set(['inet6', 'debug', 'no-check-names', 'no-tld-query', 'no-reload', 'ip6-bytestring', 'ip6-dotint', 'no-ip6-dotint', 'insecure1', 'insecure2']);

/** Parses resolv.conf as glibc reads it. Never throws. */
export function parseResolvConf(text: string): ParseResult<ResolvConf> {
  const issues: Issue[] = [];
  const conf: ResolvConf = { nameservers: [], search: [], options: { ...DEFAULT_RESOLV_OPTIONS, other: [] }, optionSpans: {} };
  const isOther = otherThan(['resolv-conf']);
  for (const l of linesFor(text, ['resolv-conf'], issues)) {
    const t = l.text.trim();
    if (t === '' || /^[#;]/.test(t)) continue;
    const ws = wordsOf(l);
    const [kw, ...args] = ws;
    switch (kw.text) {
      case 'nameserver': {
        const a = args[0];
        if (!a) { issues.push(issue('resolv-missing-value', 'error', kw.span, '`nameserver` needs an address')); break; }
        if (parseIPv4(a.text) === undefined && !/^[0-9a-fA-F:]+(?:%\S+)?$/.test(a.text)) {
          issues.push(issue('resolv-bad-nameserver', 'error', a.span, `'${a.text}' is not an IP address (glibc ignores this line)`));
          break;
        }
        if (conf.nameservers.length >= MAXNS) {
          issues.push(issue('resolv-too-many-nameservers', 'warning', a.span, `only the first ${MAXNS} nameservers are used by glibc; this one never is`));
          break;
        }
        conf.nameservers.push({ address: a.text, span: a.span });
        break;
      }
      case 'search':
      case 'domain': {
        if (args.length === 0) { issues.push(issue('resolv-missing-value', 'error', kw.span, `\`${kw.text}\` needs a domain`)); break; }
        if (conf.searchSpan) issues.push(issue('resolv-search-overridden', 'info', conf.searchSpan, `overridden by the \`${kw.text}\` line ${l.line}: glibc uses the last search/domain line`));
        const names = (kw.text === 'domain' ? args.slice(0, 1) : args).map((w) => w.text.replace(/\.$/, ''));
        conf.search = names.filter((n) => n !== '');
        conf.searchSpan = trimmedSpan(l);
        if (kw.text === 'domain') conf.domain = names[0];
        else delete conf.domain;
        break;
      }
      case 'options':
        for (const w of args) readOption(conf, w.text, w.span, issues);
        break;
      case 'sortlist':
        issues.push(issue('resolv-sortlist-ignored', 'info', trimmedSpan(l), '`sortlist` only reorders answers: not modelled'));
        break;
      default: {
        const other = isOther(l.text);
        pushRun(issues, issue(other ? 'resolv-line-other-format' : 'resolv-unknown-keyword', other ? 'info' : 'warning', other ? trimmedSpan(l) : kw.span,
          other ? 'lines of another command\'s output: left to their own parser' : `'${kw.text}' is not a resolv.conf keyword: glibc ignores the line`));
      }
    }
  }
  return { value: conf, issues };
}

/** Applies one `options` token (`ndots:5`, `rotate`, …). */
function readOption(conf: ResolvConf, tok: string, span: ResolvConf['optionSpans'][string], issues: Issue[]): void {
  const colon = tok.indexOf(':');
  const name = colon < 0 ? tok : tok.slice(0, colon);
  const num = NUMERIC[name];
  if (num) {
    const v = colon < 0 ? '' : tok.slice(colon + 1);
    if (!/^\d+$/.test(v)) {
      issues.push(issue('resolv-bad-option-value', 'error', span, `\`${name}\` needs a number (${name}:N)`));
      return;
    }
    let n = Number(v);
    if (n > num.max) {
      issues.push(issue('resolv-option-capped', 'warning', span, `glibc caps ${name} at ${num.max}`));
      n = num.max;
    }
    conf.options[num.key] = n;
    conf.optionSpans[name] = span;
    return;
  }
  const flag = FLAGS[tok];
  if (flag) {
    (conf.options as unknown as Record<string, boolean>)[flag] = true;
    conf.optionSpans[tok] = span;
    return;
  }
  conf.options.other.push(tok);
  conf.optionSpans[name] = span;
  if (!KNOWN_OTHER.has(name)) issues.push(issue('resolv-unknown-option', 'info', span, `option '${tok}' is not one glibc knows: ignored`));
}
