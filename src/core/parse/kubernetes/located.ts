/**
 * Plain values (what `JSON.parse` gives) read from YAML or JSON, with the
 * offsets of every map and list and of every value inside them, so the readers
 * of Kubernetes objects work on ordinary data and still place a diagnostic on
 * the exact value. Offsets are into the whole file's text.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';

/** A value as JSON has them. */
export type Plain = string | number | boolean | null | PlainMap | Plain[];

/** A map of plain values. */
export interface PlainMap {
  [key: string]: Plain;
}

/** `[start, end)` offsets in the file. */
export type Range = readonly [number, number];

/** Where a container and its members are. */
interface Loc {
  range: Range;
  /** Map: key → range of its key and of its value; absent until asked for (JSON records only ranges while reading). */
  keys?: Map<string, Range>;
  values?: Map<string, Range>;
  /** List: the range of each item. */
  items?: Range[];
}

const AT = Symbol('located');

interface WithLoc {
  [AT]?: Loc;
}

/**
 * The offsets of every map and list read from one text. Kept on the values
 * themselves (a symbol property JSON.stringify ignores); member offsets of a
 * JSON container are found again by re-reading it when a diagnostic asks.
 */
export class Locations {
  constructor(private readonly rescan?: (start: number) => Locations) {}

  /** Records where a container is. */
  set(container: object, loc: Loc): void {
    (container as WithLoc)[AT] = loc;
  }

  private detailed(container: object): Loc | undefined {
    const l = (container as WithLoc)[AT];
    if (!l || l.keys || l.items || !this.rescan) return l;
    const again = this.rescan(l.range[0]);
    const v = again.found;
    const d = v ? (v as WithLoc)[AT] : undefined;
    if (d) { l.keys = d.keys; l.values = d.values; l.items = d.items; }
    return l;
  }

  /** The container the last rescan read (see rescan). */
  found: object | undefined;

  /** The range of a map or list. */
  of(container: object): Range | undefined {
    return (container as WithLoc)[AT]?.range;
  }

  /** The range of a map's value (or of the map itself when the key is absent). */
  value(map: object, key: string): Range | undefined {
    const l = this.detailed(map);
    return l?.values?.get(key) ?? l?.range;
  }

  /** The range of a map's key. */
  key(map: object, key: string): Range | undefined {
    const l = this.detailed(map);
    return l?.keys?.get(key) ?? l?.range;
  }

  /** The range of a list's item. */
  item(list: object, index: number): Range | undefined {
    const l = this.detailed(list);
    return l?.items?.[index] ?? l?.range;
  }
}

/** Nesting deeper than this is refused (a stack overflow is not a diagnostic). */
export const MAX_DEPTH = 200;

/** YAML alias expansions allowed per document. */
export const MAX_ALIASES = 1000;

/** Turns a YAML node into a plain value, recording offsets (shifted by `base`). */
export function plainOfYaml(node: Node | null | undefined, doc: Document, locs: Locations, base: number, depth = 0, budget = { aliases: 0 }): Plain {
  if (node === null || node === undefined) return null;
  if (depth > MAX_DEPTH) throw new NestingError(node.range?.[0] ?? 0);
  if (isAlias(node)) {
    // an alias of an alias of … doubles the work each time ("billion laughs"): bounded
    if (++budget.aliases > MAX_ALIASES) throw new NestingError(node.range?.[0] ?? 0, `more than ${MAX_ALIASES} alias expansions`);
    return plainOfYaml(node.resolve(doc) as Node | undefined, doc, locs, base, depth + 1, budget);
  }
  const r: Range = node.range ? [node.range[0] + base, node.range[1] + base] : [base, base];
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    return String(v);
  }
  if (isMap(node)) {
    const out: PlainMap = {};
    const keys = new Map<string, Range>();
    const values = new Map<string, Range>();
    for (const p of node.items as Pair[]) {
      const k = p.key as Node | null;
      const name = isScalar(k) ? String(k.value) : '';
      if (name in out) continue;
      const v = p.value as Node | null;
      out[name] = plainOfYaml(v, doc, locs, base, depth + 1, budget);
      const kr = k?.range ? [k.range[0] + base, k.range[1] + base] as const : r;
      keys.set(name, kr);
      values.set(name, v?.range ? [v.range[0] + base, v.range[1] + base] : kr);
    }
    locs.set(out, { range: r, keys, values });
    return out;
  }
  if (isSeq(node)) {
    const out: Plain[] = [];
    const items: Range[] = [];
    for (const it of node.items as (Node | null)[]) {
      out.push(plainOfYaml(it, doc, locs, base, depth + 1, budget));
      items.push(it?.range ? [it.range[0] + base, it.range[1] + base] : r);
    }
    locs.set(out, { range: r, items });
    return out;
  }
  return null;
}

/** Thrown when nesting is deeper than MAX_DEPTH; carries the offset. */
export class NestingError extends Error {
  constructor(readonly offset: number, why = `nested more than ${MAX_DEPTH} levels deep`) {
    super(why);
  }
}

/** A JSON syntax error at an offset. */
export class JsonError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/**
 * Reads JSON (RFC 8259) into plain values with offsets. Hand-written because
 * `JSON.parse` gives no positions and a 50 MB `kubectl get -o json` through a
 * YAML parser is slow; throws JsonError / NestingError with the offset.
 */
export function plainOfJson(text: string, locs: Locations, from = 0, detailed = false): { value: Plain; end: number } {
  let i = from;
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return;
    }
  };
  const fail = (what: string): never => {
    throw new JsonError(i >= text.length ? `unexpected end of JSON (${what})` : `unexpected ${JSON.stringify(text[i])} in JSON (${what})`, Math.min(i, text.length));
  };
  const str = (): string => {
    const start = ++i;
    let simple = true;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('a string is not closed');
      if (c === 34) break;
      if (c === 92) { simple = false; i += 2; continue; }
      if (c < 32) fail('control character in a string');
      i++;
    }
    const raw = text.slice(start, i);
    i++;
    if (simple) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      i = start;
      return fail('bad escape in a string');
    }
  };
  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (depth: number): Plain => {
    if (depth > MAX_DEPTH) throw new NestingError(i);
    ws();
    const c = text.charCodeAt(i);
    const start = i;
    if (c === 123) {
      i++;
      const out: PlainMap = {};
      const keys = detailed ? new Map<string, Range>() : undefined;
      const values = detailed ? new Map<string, Range>() : undefined;
      ws();
      if (text.charCodeAt(i) === 125) { i++; locs.set(out, { range: [start, i], keys, values }); return out; }
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 34) fail('expected a key');
        const ks = i;
        const k = str();
        keys?.set(k, [ks, i]);
        ws();
        if (text.charCodeAt(i) !== 58) fail('expected ":"');
        i++;
        ws();
        const vs = i;
        const v = value(depth + 1);
        if (!(k in out)) { out[k] = v; values?.set(k, [vs, i]); }
        ws();
        const d = text.charCodeAt(i);
        if (d === 44) { i++; continue; }
        if (d === 125) { i++; break; }
        fail('expected "," or "}"');
      }
      locs.set(out, keys ? { range: [start, i], keys, values } : { range: [start, i] });
      return out;
    }
    if (c === 91) {
      i++;
      const out: Plain[] = [];
      const items: Range[] | undefined = detailed ? [] : undefined;
      ws();
      if (text.charCodeAt(i) === 93) { i++; locs.set(out, { range: [start, i], items }); return out; }
      for (;;) {
        ws();
        const is = i;
        out.push(value(depth + 1));
        items?.push([is, i]);
        ws();
        const d = text.charCodeAt(i);
        if (d === 44) { i++; continue; }
        if (d === 93) { i++; break; }
        fail('expected "," or "]"');
      }
      locs.set(out, items ? { range: [start, i], items } : { range: [start, i] });
      return out;
    }
    if (c === 34) return str();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    NUM.lastIndex = i;
    const m = NUM.exec(text);
    if (m) { i += m[0].length; return Number(m[0]); }
    return fail('expected a value');
  };
  const v = value(0);
  ws();
  return { value: v, end: i };
}

/** Locations for JSON read from `text`: member offsets are found by re-reading a container when asked. */
export function jsonLocations(text: string): Locations {
  const locs: Locations = new Locations((start) => {
    const again = new Locations();
    try {
      const r = plainOfJson(text, again, start, true);
      again.found = typeof r.value === 'object' && r.value !== null ? r.value : undefined;
    } catch {
      again.found = undefined;
    }
    return again;
  });
  return locs;
}

/** Is this a plain map (not a list, not a scalar)? */
export function isPlainMap(v: Plain | undefined): v is PlainMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
