/**
 * Reading typed values out of the topology's YAML document while keeping the
 * position of every node, so a wrong value gets a diagnostic on the exact key or
 * value that is wrong. Offsets come from the `yaml` package's node ranges and
 * become line/column through the topology file's LineCounter.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { type Issue, type Severity, type Span, LineCounter } from '../../source';
import { type IPv4, type Prefix, parseIPv4, parsePrefix } from '../../net/ipv4';

/** What the readers share: the topology text, its file name, its line index, and the issues found so far. */
export interface YamlContext {
  text: string;
  file: string;
  lines: LineCounter;
  issues: Issue[];
}

/** Creates the reading context for one topology file. */
export function yamlContext(text: string, file: string): YamlContext {
  return { text, file, lines: new LineCounter(text), issues: [] };
}

/** Span of a YAML node (its value range, without trailing comments). */
export function spanOf(ctx: YamlContext, node: Node | null | undefined): Span {
  const r = node?.range;
  if (!r) return ctx.lines.span(0, 0);
  return ctx.lines.span(r[0], Math.max(r[0], r[1]));
}

/** Records a problem at a YAML node (or at `span`). */
export function report(ctx: YamlContext, at: Node | Span | null | undefined, code: string, severity: Severity, message: string): void {
  const span = at && 'start' in at && 'line' in at ? at : spanOf(ctx, at as Node | null | undefined);
  // One issue, one output line: a multi-line key or value quoted in a message is escaped.
  ctx.issues.push({ code, severity, message: message.replace(/\r?\n|\r/g, '\\n'), span, file: ctx.file });
}

/** One key of a YAML map: its name, the key's span and the value node. */
export interface Field {
  name: string;
  keySpan: Span;
  value: Node | null;
}

/**
 * A YAML map read against the list of fields the format knows: unknown keys get a
 * `topology-unknown-field` warning (a typo must not silently drop a setting), and
 * a key given twice keeps the first, as most YAML readers do, with an error.
 */
export class MapView {
  readonly fields = new Map<string, Field>();

  constructor(readonly ctx: YamlContext, readonly node: YAMLMap, known: readonly string[], readonly what: string) {
    for (const p of node.items as Pair[]) {
      const keyNode = p.key as Node | null;
      const name = isScalar(keyNode) ? String(keyNode.value) : '';
      const keySpan = spanOf(ctx, keyNode);
      if (!known.includes(name)) {
        report(ctx, keySpan, 'topology-unknown-field', 'warning', `unknown field "${name}" in ${what}; known: ${known.join(', ')}`);
        continue;
      }
      if (this.fields.has(name)) {
        report(ctx, keySpan, 'topology-duplicate-key', 'error', `"${name}" is given twice in ${what}; the first is used`);
        continue;
      }
      this.fields.set(name, { name, keySpan, value: (p.value as Node | null) ?? null });
    }
  }

  /** Span of the whole map. */
  get span(): Span {
    return spanOf(this.ctx, this.node);
  }

  has(name: string): boolean {
    return this.fields.has(name);
  }

  get(name: string): Field | undefined {
    return this.fields.get(name);
  }

  /** Reports a missing required field at the map. */
  missing(name: string): void {
    report(this.ctx, this.firstLineSpan(), 'topology-missing-field', 'error', `${this.what} needs "${name}"`);
  }

  /** The map's first line: a missing-field diagnostic on a whole 30-line entry would be unreadable. */
  private firstLineSpan(): Span {
    const s = this.span;
    if (s.endLine === s.line) return s;
    const lineEnd = this.ctx.text.indexOf('\n', s.start);
    return this.ctx.lines.span(s.start, lineEnd < 0 ? s.end : lineEnd);
  }

  /** A scalar field as text (numbers and booleans are accepted and stringified). */
  str(name: string, required = false): { value: string; span: Span } | undefined {
    const f = this.fields.get(name);
    if (!f) {
      if (required) this.missing(name);
      return undefined;
    }
    if (!isScalar(f.value) || f.value.value === null) {
      report(this.ctx, f.value ?? f.keySpan, 'topology-wrong-type', 'error', `"${name}" in ${this.what} must be a string`);
      return undefined;
    }
    return { value: String(f.value.value), span: spanOf(this.ctx, f.value) };
  }

  /** A boolean field; `def` when absent. */
  bool(name: string, def: boolean): boolean {
    const f = this.fields.get(name);
    if (!f) return def;
    if (isScalar(f.value) && typeof f.value.value === 'boolean') return f.value.value;
    report(this.ctx, f.value ?? f.keySpan, 'topology-wrong-type', 'error', `"${name}" in ${this.what} must be true or false`);
    return def;
  }

  /** An integer field within [min, max]. */
  int(name: string, min: number, max: number, required = false): number | undefined {
    const f = this.fields.get(name);
    if (!f) {
      if (required) this.missing(name);
      return undefined;
    }
    if (isScalar(f.value) && typeof f.value.value === 'number' && Number.isInteger(f.value.value)) {
      const n = f.value.value;
      if (n >= min && n <= max) return n;
      report(this.ctx, f.value, 'topology-bad-value', 'error', `"${name}" must be between ${min} and ${max}`);
      return undefined;
    }
    report(this.ctx, f.value ?? f.keySpan, 'topology-wrong-type', 'error', `"${name}" in ${this.what} must be an integer`);
    return undefined;
  }

  /** One of a fixed set of words (enum). */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const s = this.str(name);
    if (!s) return undefined;
    const hit = allowed.find((a) => a === s.value);
    if (hit === undefined) report(this.ctx, s.span, 'topology-bad-value', 'error', `"${name}" must be one of ${allowed.join(', ')}`);
    return hit;
  }

  /** An IPv4 address field. */
  ip(name: string, required = false): { value: IPv4; span: Span } | undefined {
    const s = this.str(name, required);
    if (!s) return undefined;
    const ip = parseIPv4(s.value);
    if (ip === undefined) {
      report(this.ctx, s.span, 'topology-bad-ip', 'error', `"${s.value}" is not an IPv4 address`);
      return undefined;
    }
    return { value: ip, span: s.span };
  }

  /** A CIDR field (`10.244.0.0/16`); host bits set is a warning (the kernel would clear them). */
  cidr(name: string, required = false): { value: Prefix; span: Span } | undefined {
    const s = this.str(name, required);
    if (!s) return undefined;
    return readCidr(this.ctx, s.value, s.span);
  }

  /** A map of string → string (labels, selector). */
  strMap(name: string): Record<string, string> | undefined {
    const f = this.fields.get(name);
    if (!f) return undefined;
    if (!isMap(f.value)) {
      report(this.ctx, f.value ?? f.keySpan, 'topology-wrong-type', 'error', `"${name}" must be a map of strings`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const p of f.value.items as Pair[]) {
      const k = p.key as Node | null;
      const v = p.value as Node | null;
      if (isScalar(k) && isScalar(v) && v.value !== null && typeof v.value !== 'object') out[String(k.value)] = String(v.value);
      else report(this.ctx, v ?? k, 'topology-wrong-type', 'error', `values of "${name}" must be strings`);
    }
    return out;
  }

  /** A list of scalars as strings, each with its span. */
  strList(name: string): { value: string; span: Span }[] | undefined {
    const f = this.fields.get(name);
    if (!f) return undefined;
    if (!isSeq(f.value)) {
      report(this.ctx, f.value ?? f.keySpan, 'topology-wrong-type', 'error', `"${name}" must be a list`);
      return undefined;
    }
    const out: { value: string; span: Span }[] = [];
    for (const item of f.value.items as (Node | null)[]) {
      if (isScalar(item) && item.value !== null) out.push({ value: String(item.value), span: spanOf(this.ctx, item) });
      else report(this.ctx, item, 'topology-wrong-type', 'error', `items of "${name}" must be strings`);
    }
    return out;
  }

  /** A list of IPv4 addresses. */
  ipList(name: string): IPv4[] | undefined {
    const items = this.strList(name);
    if (!items) return undefined;
    const out: IPv4[] = [];
    for (const it of items) {
      const ip = parseIPv4(it.value);
      if (ip === undefined) report(this.ctx, it.span, 'topology-bad-ip', 'error', `"${it.value}" is not an IPv4 address`);
      else out.push(ip);
    }
    return out;
  }
}

/** Parses a CIDR value, reporting `topology-bad-cidr` or a host-bits warning at `span`. */
export function readCidr(ctx: YamlContext, text: string, span: Span): { value: Prefix; span: Span } | undefined {
  const p = text.includes('/') ? parsePrefix(text) : undefined;
  if (!p) {
    report(ctx, span, 'topology-bad-cidr', 'error', `"${text}" is not a CIDR (a.b.c.d/len)`);
    return undefined;
  }
  if (p.hostBits) report(ctx, span, 'topology-cidr-host-bits', 'warning', `"${text}" has host bits set; read as ${text.split('/')[0]}'s network`);
  return { value: { addr: p.addr, len: p.len }, span };
}

/** Reads a node as a map with known fields, or reports that it is not a map. */
export function asMap(ctx: YamlContext, node: Node | null | undefined, known: readonly string[], what: string): MapView | undefined {
  if (!isMap(node)) {
    report(ctx, node, 'topology-wrong-type', 'error', `${what} must be a map`);
    return undefined;
  }
  return new MapView(ctx, node, known, what);
}

/** The items of a list field, or a report that it is not a list. */
export function listItems(ctx: YamlContext, f: Field | undefined, what: string): (Node | null)[] {
  if (!f || f.value === null) return [];
  if (!isSeq(f.value)) {
    report(ctx, f.value, 'topology-wrong-type', 'error', `${what} must be a list`);
    return [];
  }
  return f.value.items as (Node | null)[];
}
