/**
 * Everything heavy the extension does — loading topologies, parsing dumps,
 * tracing, computing hovers — behind one request/response interface of plain
 * data. It runs in a worker thread so a 46 MB dump never blocks the editor, or
 * in the extension host itself when the worker bundle is missing.
 */
import * as path from 'node:path';
import { trace } from '../../core/query/trace';
import type { TraceResult } from '../../core/sim/types';
import { toClusterView } from '../../protocol/cluster-view';
import { sourceItems, destinationItems } from '../logic/quick-picks';
import { wordAt } from '../logic/ip-at';
import { chainsNamed } from '../logic/chain-index';
import { Documents } from './documents';
import { Dumps } from './dumps';
import { Topologies, MAX_ISSUES_PER_FILE } from './topologies';
import { capIssues, truncationNote } from '../logic/cap-issues';
import { Hovers, lineOf } from './hover';
import type { Method, Methods } from './protocol';

/** The service. `log` lines end up in the "Kube NetSim" output channel. */
export class NetsimService {
  private readonly docs = new Documents();
  private readonly topologies: Topologies;
  private readonly dumps: Dumps;
  private readonly hovers: Hovers;

  constructor(private readonly log: (m: string) => void) {
    this.topologies = new Topologies(this.docs, log);
    this.dumps = new Dumps(this.docs);
    this.hovers = new Hovers(this.docs, this.topologies, this.dumps, log);
  }

  /** Answers one request. Throws only on a bug; callers turn that into an error response. */
  handle<M extends Method>(method: M, params: Methods[M]['params']): Methods[M]['result'] {
    const h = this.handlers[method] as (p: Methods[M]['params']) => Methods[M]['result'];
    return h(params);
  }

  private readonly handlers: { [M in Method]: (p: Methods[M]['params']) => Methods[M]['result'] } = {
    overlay: (p) => {
      this.docs.set(p.path, p.text);
      if (p.text === null) this.dumps.forget(p.path);
    },
    checkTopology: (p) => this.topologies.check(p.path, p.root),
    checkDump: (p) => {
      const r = this.dumps.parse(p.path, p.languageId);
      const issues = capIssues(r?.issues ?? [], MAX_ISSUES_PER_FILE, () => p.path, (_f, first, n) => truncationNote(first, n));
      return { format: r?.format ?? 'unknown', issues };
    },
    referencing: (p) => this.topologies.referencing(p.path).map((e) => e.path),
    hover: (p) => this.hovers.hover(p),
    trace: (p) => {
      const e = this.topologies.get(p.topology, p.root);
      if (!e) return { error: `cannot read ${p.topology}` };
      let result: TraceResult;
      try {
        result = trace(e.loaded.cluster, p.query);
      } catch (err) {
        this.log(`trace failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        result = { version: 1, query: { ...p.query }, source: { ip: '' }, dns: null, outcomes: [], error: 'the simulator failed (see the Kube NetSim output)' };
      }
      const problems = e.loaded.issues.filter((i) => i.severity === 'error').map((i) => `${i.file ?? path.basename(p.topology)}:${i.span.line}: ${i.message}`);
      return { result, view: toClusterView(e.loaded.cluster), problems };
    },
    pickItems: (p) => {
      const e = this.topologies.get(p.topology, p.root);
      return e ? { sources: sourceItems(e.loaded.topology), destinations: destinationItems(e.loaded.topology) } : null;
    },
    chainsAt: (p) => {
      const t = this.docs.read(p.path);
      if ('error' in t) return [];
      const line = lineOf(t.text, p.line);
      const w = line === undefined ? undefined : wordAt(line, p.character);
      const idx = w ? this.dumps.index(p.path) : undefined;
      return w && idx ? chainsNamed(idx, w.text) : [];
    },
    outline: (p) => this.dumps.outline(p.path, p.languageId),
    stats: () => ({ dumpParses: this.dumps.count, topologyLoads: this.topologies.loads }),
  };
}
