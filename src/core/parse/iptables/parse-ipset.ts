/**
 * `ipset list [NAME]` output → set name → members. IPVS-mode kube-proxy keeps its
 * service addresses in sets (`KUBE-CLUSTER-IP` of `hash:ip,port`: `10.96.0.10,udp:53`)
 * that `-m set --match-set KUBE-CLUSTER-IP dst,dst` rules test, so a trace through
 * those rules needs the members. Members are kept as written, one per line.
 */
import { type Issue, type ParseResult, type Span, lineSpan } from '../../source';
import { forEachLine } from '../text/lines';
import { classifyPasted } from '../text/pasted';

/** One set as `ipset list` prints it. */
export interface IpSet {
  name: string;
  /** `hash:ip,port`, `hash:net`, `bitmap:port`, … */
  type?: string;
  /** The `Header:` line: `family inet hashsize 1024 maxelem 65536`. */
  header?: string;
  references?: number;
  /** What `Number of entries:` said (the members shown may be fewer if the paste was cut). */
  declaredEntries?: number;
  /** Members as written (`10.96.0.10,udp:53`), with the span of their line. */
  members: { text: string; span: Span }[];
  span: Span;
}

/** Every set of the listing, by name. */
export type IpSetList = Map<string, IpSet>;

const PROMPTISH = /^\s*(?:[\w.@:~/-]+\s)?[\w.@:~/-]*[#$%](?:\s+(\S.*))?$/;

/** Parses `ipset list` output. Never throws. */
export function parseIpsetList(text: string): ParseResult<IpSetList> {
  const issues: Issue[] = [];
  const sets: IpSetList = new Map();
  let set: IpSet | undefined;
  let inMembers = false;

  const finish = () => {
    if (set && set.declaredEntries !== undefined && set.declaredEntries !== set.members.length) {
      issues.push({ code: 'ipset-count-mismatch', severity: 'warning', span: set.span, message: `set ${set.name} says ${set.declaredEntries} entries but ${set.members.length} are listed (cut paste?)` });
    }
  };

  forEachLine(text, (line, lineNo, offset) => {
    const trimmed = line.trim();
    const whole = lineSpan(offset, lineNo, 1, line.length);
    if (trimmed === '') {
      inMembers = false;
      return;
    }
    const field = /^([A-Z][A-Za-z ]*):\s*(.*)$/.exec(trimmed);
    if (field && !(inMembers && field[1] !== 'Name')) {
      const [, key, value] = field;
      if (key === 'Name') {
        finish();
        set = { name: value, members: [], span: whole };
        if (sets.has(value)) issues.push({ code: 'ipset-duplicate-set', severity: 'info', span: whole, message: `set ${value} listed again: the later listing wins` });
        sets.set(value, set);
        inMembers = false;
        return;
      }
      if (!set) {
        issues.push({ code: 'ipset-field-without-set', severity: 'warning', span: whole, message: `"${key}:" before any "Name:" line: ignored` });
        return;
      }
      if (key === 'Type') set.type = value;
      else if (key === 'Header') set.header = value;
      else if (key === 'References') set.references = Number(value);
      else if (key === 'Number of entries') set.declaredEntries = Number(value);
      else if (key === 'Members') inMembers = true;
      return;
    }
    if (inMembers && set) {
      set.members.push({ text: trimmed, span: lineSpan(offset, lineNo, line.indexOf(trimmed) + 1, trimmed.length) });
      return;
    }
    const c = classifyPasted(line);
    if (c.kind === 'prompt' || c.kind === 'elision' || PROMPTISH.test(line)) {
      const kind = c.kind === 'elision' ? 'elision' : 'prompt';
      issues.push({ code: `pasted-${kind}`, severity: 'info', span: whole, message: kind === 'prompt' ? 'shell prompt skipped' : 'elided lines skipped' });
      return;
    }
    issues.push({ code: 'ipset-unexpected-line', severity: 'warning', span: whole, message: 'not a line of `ipset list` output: ignored' });
  });
  finish();
  return { value: sets, issues };
}
