/**
 * The topology file (`*.netsim.yaml`, version 1) → Topology, with the position
 * of every value. See docs/topology.md for the contract. YAML syntax
 * errors, wrong types and unknown fields become issues at the offending node;
 * nothing here throws on user input.
 */
import { parseDocument, type Node } from 'yaml';
import type { ParseResult } from '../../source';
import type { Topology, FileReader, TopologyMachine } from '../../model/topology';
import { TOPOLOGY_API_VERSION, TOPOLOGY_FIELDS, TOPOLOGY_KIND } from './topology-fields';
import { type YamlContext, asMap, listItems, report, yamlContext } from './topology-yaml';
import { type SourceContext, dirOf } from './topology-sources';
import { readDns, readMachine, readNode, readPod, readService } from './topology-entries';
import { readNetwork } from './topology-links';

/** Parses a topology file; `file` is its path as the user names it; `reader` reads `{file: …}` sources relative to it. Never throws. */
export function parseTopology(text: string, file: string, reader: FileReader): ParseResult<Topology> {
  const ctx = yamlContext(text, file);
  const topo: Topology = { file, name: '', dnsDomain: 'cluster.local', routers: [], hosts: [], nodes: [], pods: [], services: [], referencedFiles: [] };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  for (const e of doc.errors) report(ctx, ctx.lines.span(Math.min(e.pos[0], text.length), Math.min(text.length, Math.max(e.pos[0], e.pos[1]))), 'topology-yaml-syntax', 'error', e.message.split('\n')[0]);
  for (const w of doc.warnings) report(ctx, ctx.lines.span(Math.min(w.pos[0], text.length), Math.min(text.length, Math.max(w.pos[0], w.pos[1]))), 'topology-yaml-warning', 'warning', w.message.split('\n')[0]);
  const root = asMap(ctx, doc.contents as Node | null, TOPOLOGY_FIELDS.root, 'the topology file');
  if (!root) return { value: topo, issues: ctx.issues };

  const api = root.str('apiVersion', true);
  if (api && api.value !== TOPOLOGY_API_VERSION) report(ctx, api.span, 'topology-bad-api-version', 'error', `apiVersion must be ${TOPOLOGY_API_VERSION}`);
  const kind = root.str('kind', true);
  if (kind && kind.value !== TOPOLOGY_KIND) report(ctx, kind.span, 'topology-bad-kind', 'error', `kind must be ${TOPOLOGY_KIND}`);
  const meta = root.get('metadata') ? asMap(ctx, root.get('metadata')!.value, TOPOLOGY_FIELDS.metadata, 'metadata') : undefined;
  topo.name = meta?.str('name')?.value ?? '';
  meta?.strMap('labels');
  meta?.strMap('annotations');

  const specField = root.get('spec');
  if (!specField) {
    root.missing('spec');
    return { value: topo, issues: ctx.issues };
  }
  const spec = asMap(ctx, specField.value, TOPOLOGY_FIELDS.spec, 'spec');
  if (!spec) return { value: topo, issues: ctx.issues };
  const sc: SourceContext = { yaml: ctx, reader, dir: dirOf(file), referenced: topo.referencedFiles };
  topo.clusterCIDR = spec.cidr('clusterCIDR')?.value;
  topo.serviceCIDR = spec.cidr('serviceCIDR')?.value;
  topo.dnsDomain = spec.str('dnsDomain')?.value ?? 'cluster.local';
  for (const n of listItems(ctx, spec.get('routers'), 'routers')) push(topo.routers, readMachine(sc, n, 'router'));
  for (const n of listItems(ctx, spec.get('hosts'), 'hosts')) push(topo.hosts, readMachine(sc, n, 'host'));
  for (const n of listItems(ctx, spec.get('nodes'), 'nodes')) push(topo.nodes, readNode(sc, n));
  for (const n of listItems(ctx, spec.get('pods'), 'pods')) push(topo.pods, readPod(sc, n));
  for (const n of listItems(ctx, spec.get('services'), 'services')) push(topo.services, readService(sc, n));
  if (spec.has('dns')) topo.dns = readDns(sc, spec.get('dns')!.value);
  if (spec.has('network')) topo.network = readNetwork(sc, spec.get('network')!.value);
  crossCheck(ctx, topo);
  return { value: topo, issues: ctx.issues };
}

function push<T>(list: T[], v: T | undefined): void {
  if (v !== undefined) list.push(v);
}

/** Checks that need the whole file: unique names, pods on declared nodes. */
function crossCheck(ctx: YamlContext, t: Topology): void {
  // Routers, hosts and nodes share one name space: a trace's --from/--to names any of them.
  const machines = new Map<string, TopologyMachine>();
  for (const m of [...t.routers, ...t.hosts, ...t.nodes]) {
    const first = machines.get(m.name);
    if (first) {
      report(ctx, m.nameSpan, 'topology-duplicate-name', 'error', `"${m.name}" is already the name of another router, host or node`);
      ctx.issues[ctx.issues.length - 1].related = [{ message: 'first declared here', file: ctx.file, span: first.nameSpan }];
    } else machines.set(m.name, m);
  }
  const nodeNames = new Set(t.nodes.map((n) => n.name));
  const pods = new Set<string>();
  for (const p of t.pods) {
    const id = `${p.namespace}/${p.name}`;
    if (pods.has(id)) report(ctx, p.nameSpan, 'topology-duplicate-name', 'error', `pod ${id} is declared twice`);
    pods.add(id);
    if (p.node && !nodeNames.has(p.node)) report(ctx, p.nodeSpan ?? p.span, 'topology-unknown-node', 'error', `pod ${id} runs on "${p.node}", which is not in nodes`);
  }
  const services = new Set<string>();
  for (const s of t.services) {
    const id = `${s.namespace}/${s.name}`;
    if (services.has(id)) report(ctx, s.nameSpan, 'topology-duplicate-name', 'error', `service ${id} is declared twice`);
    services.add(id);
  }
}
