/**
 * Spans of parsed dump elements mapped into the file their source sits in (the
 * topology file for a pasted block, the referenced file otherwise), so a route,
 * an address or a rule in the model points at the line the user can open.
 */
import { type Origin, type Span, toFileSpan } from '../source';
import type { SourceText, Topology } from '../model/topology';

/** The span of an element of `src`, in `src`'s file. Line and column are exact; offsets of pasted blocks are approximate. */
export function placedSpan(_t: Topology, span: Span, src: SourceText): Span {
  return toFileSpan(span, src.placement);
}

/** The origin of an element of `src` whose raw text is `text`. */
export function placedOrigin(t: Topology, span: Span, text: string, src: SourceText): Origin {
  const s = placedSpan(t, span, src);
  return { file: src.placement.file, line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn, text };
}

/** The origin of something declared in the topology file itself. */
export function topologyOrigin(t: Topology, span: Span, text: string): Origin {
  return { file: t.file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, text };
}
