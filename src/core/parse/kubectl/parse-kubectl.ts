/**
 * `kubectl get nodes|pods|services|endpoints|deploy [-o wide] [-A]` tables.
 * kubectl pads every column to its widest cell and separates columns by at
 * least two spaces, so a header's word positions are the column boundaries and
 * a cell may hold single spaces (`Fedora CoreOS 35…`, `… + 7 more...`). Pastes
 * that collapsed runs of spaces (the seed) fall back to splitting on
 * whitespace, with the two-word headers (`NOMINATED NODE`, `READINESS GATES`) rejoined.
 */
import { type Issue, type ParseResult, type SourceLine, type Span, issue, lineSpan } from '../../source';
import type { KubectlDump, KubectlKind, KubectlRow, KubectlTable } from '../../model/kubectl';
import { wordsOf, trimmedSpan, pushRun } from '../text/line-words';
import { linesFor } from '../text/paste-sections';
import { otherThan } from '../text/detect';

const HEADER = /^(?:NAMESPACE\s+)?NAME(?:\s+[A-Z][A-Z0-9()/_-]*)+\s*$/;
/** Headers kubectl prints as two words. */
const TWO_WORD = ['NOMINATED NODE', 'READINESS GATES'];
/** `kind/name` prefixes kubectl prints with several kinds, mapped to table kinds. */
const PREFIX_KIND: Record<string, KubectlKind> = {
  pod: 'pods', node: 'nodes', service: 'services', endpoints: 'endpoints', 'deployment.apps': 'deployments', deployment: 'deployments',
};

/** Column layout of one table: names and, in padded mode, start columns (0-based). */
interface Layout { names: string[]; starts?: number[] }

function layoutOf(header: string): Layout {
  const text = header.trimEnd();
  if (/\S {2,}\S/.test(text)) {
    const names: string[] = [];
    const starts: number[] = [];
    const re = /\S+(?: \S+)*/g;
    for (let m = re.exec(text); m; m = re.exec(text)) { names.push(m[0]); starts.push(m.index); }
    return { names, starts };
  }
  const words = text.trim().split(/\s+/);
  const names: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const two = `${words[i]} ${words[i + 1] ?? ''}`;
    if (TWO_WORD.includes(two)) { names.push(two); i++; } else names.push(words[i]);
  }
  return { names };
}

/** The kind a table lists, from its columns (kubectl's column sets differ by kind). */
function kindOf(names: string[]): KubectlKind {
  const has = (n: string) => names.includes(n);
  if (has('ENDPOINTS')) return 'endpoints';
  if (has('CLUSTER-IP') || (has('TYPE') && has('PORT(S)'))) return 'services';
  if (has('UP-TO-DATE') || has('AVAILABLE')) return 'deployments';
  if (has('RESTARTS') || (has('READY') && has('STATUS'))) return 'pods';
  if (has('VERSION') || has('ROLES') || has('INTERNAL-IP')) return 'nodes';
  return 'unknown';
}

function cell(l: SourceLine, start: number, end: number): { text: string; span: Span } {
  const raw = l.text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  return { text, span: lineSpan(l.offset, l.line, start + lead + 1, text.length) };
}

/** Reads one row; cells by column name. */
function readRow(l: SourceLine, layout: Layout, issues: Issue[]): KubectlRow {
  const cells: Record<string, string> = {};
  const starts = layout.starts;
  // A padded row has a blank before every column start; otherwise the paste lost the padding.
  const aligned = starts !== undefined && starts.every((s, i) => i === 0 || (s <= l.text.length && l.text[s - 1] === ' ' && l.text[s] !== ' '));
  if (starts && aligned) {
    layout.names.forEach((n, i) => { cells[n] = cell(l, starts[i], i + 1 < starts.length ? starts[i + 1] : l.text.length).text; });
  } else {
    const ws = wordsOf(l);
    if (starts && !aligned) issues.push(issue('kubectl-misaligned-row', 'warning', trimmedSpan(l), 'row does not line up with the header: cells split on whitespace'));
    if (ws.length > layout.names.length) {
      issues.push(issue('kubectl-extra-cells', 'warning', ws[layout.names.length].span, `more cells than the ${layout.names.length} columns: the rest joined into the last column`));
    }
    layout.names.forEach((n, i) => {
      cells[n] = i === layout.names.length - 1 ? ws.slice(i).map((w) => w.text).join(' ') : ws[i]?.text ?? '';
    });
  }
  const row: KubectlRow = { cells, span: trimmedSpan(l) };
  const slash = /^([a-z.]+)\/(\S+)$/.exec(cells.NAME ?? '');
  if (slash) { row.kind = slash[1]; cells.NAME = slash[2]; }
  const ep = cells.ENDPOINTS;
  if (ep && /\+ \d+ more\.\.\.$/.test(ep)) {
    issues.push(issue('kubectl-endpoints-truncated', 'info', trimmedSpan(l), 'kubectl shows only the first endpoints; `kubectl get endpointslices -o yaml` lists them all'));
  }
  return row;
}

/** Parses one or more kubectl tables. Never throws. */
export function parseKubectl(text: string): ParseResult<KubectlDump> {
  const issues: Issue[] = [];
  const tables: KubectlTable[] = [];
  const isOther = otherThan(['kubectl']);
  let table: KubectlTable | undefined;
  let layout: Layout | undefined;
  for (const l of linesFor(text, ['kubectl'], issues)) {
    const t = l.text.trim();
    if (t === '') { table = undefined; continue; }
    if (HEADER.test(t)) {
      layout = layoutOf(l.text);
      table = { kind: kindOf(layout.names), columns: layout.names, rows: [], span: trimmedSpan(l) };
      tables.push(table);
      continue;
    }
    if (/^No resources found/.test(t)) {
      issues.push(issue('kubectl-no-resources', 'info', trimmedSpan(l), 'kubectl found nothing to list'));
      table = undefined;
      continue;
    }
    if (!table || !layout) {
      const other = isOther(l.text);
      pushRun(issues, issue(other ? 'kubectl-line-other-format' : 'kubectl-line-unrecognised', other ? 'info' : 'warning', trimmedSpan(l),
        other ? 'lines of another command\'s output: left to their own parser' : 'line outside a kubectl table (no NAME header above it): not read'));
      continue;
    }
    // kubectl fills every cell (`<none>` when empty): a line with fewer words than columns is not a row.
    if (wordsOf(l).length < layout.names.length) {
      issues.push(issue('kubectl-short-row', 'warning', trimmedSpan(l), `fewer cells than the ${layout.names.length} columns: not read as a row`));
      table = undefined;
      continue;
    }
    const row = readRow(l, layout, issues);
    table.rows.push(row);
    table.span = { ...table.span, end: row.span.end, endLine: row.span.endLine, endColumn: row.span.endColumn };
    if (table.kind === 'unknown' && row.kind && PREFIX_KIND[row.kind]) table.kind = PREFIX_KIND[row.kind];
  }
  return { value: { tables }, issues };
}
