/**
 * One Kubernetes object (a plain map with offsets) into the model: Nodes,
 * Pods, Services, EndpointSlices and Endpoints, Namespaces, workloads and
 * NetworkPolicies; Lists recursively. Other kinds are skipped with an `info`
 * issue. See docs/topology.md.
 */
import type {
  ContainerPort, KubeEndpoint, KubeMeta, KubeObjects, KubeService, KubeServicePort, OwnerRef, WorkloadKind,
} from '../../model/kubernetes';
import { type Plain, type PlainMap, type Range, isPlainMap } from './located';
import {
  type KubeReadContext, boolField, intField, labelsField, listField, mapField, mapsOf, originAt, protocolField, reportAt, strField, strListField,
} from './read-context';
import { readNetworkPolicy } from './read-policy';

/** The workload kinds, whose pod template stands for pods not yet created. */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

const CLUSTER_SCOPED = new Set(['Node', 'Namespace']);

/** The kinds read into the model; others are skipped with an info issue. */
const MODELLED = new Set<string>(['Pod', 'Node', 'Service', 'EndpointSlice', 'Endpoints', 'Namespace', 'NetworkPolicy', ...WORKLOAD_KINDS]);

function readMeta(ctx: KubeReadContext, obj: PlainMap, range: Range | undefined, listNamespace: string): KubeMeta | undefined {
  const kind = strField(ctx, obj, 'kind', 'object');
  if (!kind) {
    reportAt(ctx, range, 'kube-missing-kind', 'error', 'this object has no "kind": it is not a Kubernetes object and is skipped');
    return undefined;
  }
  const md = mapField(ctx, obj, 'metadata', kind) ?? {};
  const name = strField(ctx, md, 'name', `${kind}.metadata`);
  if (!name) {
    reportAt(ctx, ctx.locs.key(obj, md === obj.metadata ? 'metadata' : 'kind'), 'kube-missing-name', 'error', `this ${kind} has no metadata.name: skipped`);
    return undefined;
  }
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : strField(ctx, md, 'namespace', `${kind}.metadata`) || listNamespace || 'default';
  return { kind, namespace, name, labels: labelsField(ctx, md, 'labels', `${kind}.metadata`) ?? {}, origin: originAt(ctx, range) };
}

function ownerOf(ctx: KubeReadContext, md: PlainMap): OwnerRef | undefined {
  const refs = mapsOf(ctx, md, 'ownerReferences', 'metadata').map((r) => r.item);
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  if (!ref) return undefined;
  const kind = strField(ctx, ref, 'kind', 'ownerReferences[]');
  const name = strField(ctx, ref, 'name', 'ownerReferences[]');
  return kind && name ? { kind, name } : undefined;
}

/** Container ports of a pod spec: containers, and init containers that keep running (sidecars). */
function portsOf(ctx: KubeReadContext, spec: PlainMap): ContainerPort[] {
  const out: ContainerPort[] = [];
  const containers = [
    ...mapsOf(ctx, spec, 'containers', 'spec'),
    ...mapsOf(ctx, spec, 'initContainers', 'spec').filter((c) => c.item.restartPolicy === 'Always'),
  ];
  for (const { item: c } of containers) {
    for (const { item: p } of mapsOf(ctx, c, 'ports', 'containers[]')) {
      const containerPort = intField(ctx, p, 'containerPort', 'ports[]', 1, 65535);
      const protocol = protocolField(ctx, p, 'ports[]');
      const name = strField(ctx, p, 'name', 'ports[]');
      if (containerPort !== undefined && protocol) out.push({ ...(name ? { name } : {}), containerPort, protocol });
    }
  }
  return out;
}

function readPod(ctx: KubeReadContext, obj: PlainMap, meta: KubeMeta, out: KubeObjects): void {
  const md = mapField(ctx, obj, 'metadata', 'Pod') ?? {};
  const spec = mapField(ctx, obj, 'spec', 'Pod') ?? {};
  const status = mapField(ctx, obj, 'status', 'Pod');
  const ips = status ? mapsOf(ctx, status, 'podIPs', 'status').map((p) => strField(ctx, p.item, 'ip', 'status.podIPs[]')).filter((x): x is string => !!x) : [];
  const podIP = status ? strField(ctx, status, 'podIP', 'status') : undefined;
  if (ips.length === 0 && podIP) ips.push(podIP);
  const conditions = status ? mapsOf(ctx, status, 'conditions', 'status').map((c) => c.item) : [];
  const readyCond = conditions.find((c) => c.type === 'Ready');
  const phase = status ? strField(ctx, status, 'phase', 'status') : undefined;
  const owner = ownerOf(ctx, md);
  const nodeName = strField(ctx, spec, 'nodeName', 'spec');
  out.pods.push({
    ...meta, ips, hostNetwork: boolField(ctx, spec, 'hostNetwork', 'spec') ?? false, ports: portsOf(ctx, spec),
    ready: readyCond ? readyCond.status === 'True' : phase === undefined || phase === 'Running',
    ...(nodeName ? { nodeName } : {}), ...(owner ? { owner } : {}), ...(phase ? { phase } : {}),
  });
}

function readNode(ctx: KubeReadContext, obj: PlainMap, meta: KubeMeta, out: KubeObjects): void {
  const spec = mapField(ctx, obj, 'spec', 'Node') ?? {};
  const status = mapField(ctx, obj, 'status', 'Node') ?? {};
  const internal = mapsOf(ctx, status, 'addresses', 'status').map((a) => a.item).filter((a) => a.type === 'InternalIP')
    .map((a) => strField(ctx, a, 'address', 'status.addresses[]')).filter((x): x is string => !!x);
  const internalIP = internal.find((a) => !a.includes(':')) ?? internal[0];
  const podCIDRs = strListField(ctx, spec, 'podCIDRs', 'spec');
  const one = strField(ctx, spec, 'podCIDR', 'spec');
  if (podCIDRs.length === 0 && one) podCIDRs.push(one);
  out.nodes.push({ ...meta, podCIDRs, ...(internalIP ? { internalIP } : {}) });
}

function readService(ctx: KubeReadContext, obj: PlainMap, meta: KubeMeta, out: KubeObjects): void {
  const spec = mapField(ctx, obj, 'spec', 'Service') ?? {};
  const status = mapField(ctx, obj, 'status', 'Service') ?? {};
  const typeText = strField(ctx, spec, 'type', 'spec') ?? 'ClusterIP';
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
  const type = types.find((t) => t === typeText);
  if (!type) { reportAt(ctx, ctx.locs.value(spec, 'type'), 'kube-bad-value', 'error', `spec.type must be one of ${types.join(', ')}`); return; }
  let clusterIPs = strListField(ctx, spec, 'clusterIPs', 'spec');
  const one = strField(ctx, spec, 'clusterIP', 'spec');
  if (clusterIPs.length === 0 && one) clusterIPs = [one];
  const headless = clusterIPs[0] === 'None';
  const ports: KubeServicePort[] = [];
  for (const { item: p } of mapsOf(ctx, spec, 'ports', 'spec')) {
    const port = intField(ctx, p, 'port', 'spec.ports[]', 1, 65535);
    const protocol = protocolField(ctx, p, 'spec.ports[]');
    const name = strField(ctx, p, 'name', 'spec.ports[]');
    const nodePort = intField(ctx, p, 'nodePort', 'spec.ports[]', 1, 65535);
    const tp = p.targetPort;
    if (port === undefined) { if (p.port === undefined) reportAt(ctx, ctx.locs.of(p), 'kube-missing-field', 'error', 'a Service port needs "port"'); continue; }
    if (!protocol) continue;
    const targetPort = typeof tp === 'number' || (typeof tp === 'string' && tp !== '') ? tp : port;
    ports.push({ port, protocol, targetPort, ...(name ? { name } : {}), ...(nodePort ? { nodePort } : {}) });
  }
  const selector = labelsField(ctx, spec, 'selector', 'spec');
  const lbIPs = mapsOf(ctx, mapField(ctx, status, 'loadBalancer', 'status') ?? {}, 'ingress', 'status.loadBalancer')
    .map((i) => strField(ctx, i.item, 'ip', 'status.loadBalancer.ingress[]')).filter((x): x is string => !!x);
  const timeout = (mapField(ctx, mapField(ctx, spec, 'sessionAffinityConfig', 'spec') ?? {}, 'clientIP', 'spec.sessionAffinityConfig') ?? {}).timeoutSeconds;
  const externalName = strField(ctx, spec, 'externalName', 'spec');
  const svc: KubeService = {
    ...meta, type, headless, clusterIPs: headless ? [] : clusterIPs, ports,
    ...(selector && Object.keys(selector).length > 0 ? { selector } : {}),
    externalIPs: strListField(ctx, spec, 'externalIPs', 'spec'), loadBalancerIPs: lbIPs,
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    internalTrafficPolicy: spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
    ...(typeof timeout === 'number' ? { affinityTimeoutSeconds: timeout } : {}),
    ...(externalName ? { externalName } : {}),
  };
  out.services.push(svc);
}

function podRef(ref: Plain | undefined, namespace: string): string | undefined {
  if (!isPlainMap(ref) || ref.kind !== 'Pod' || typeof ref.name !== 'string') return undefined;
  return `${typeof ref.namespace === 'string' ? ref.namespace : namespace}/${ref.name}`;
}

function readEndpointSlice(ctx: KubeReadContext, obj: PlainMap, meta: KubeMeta, out: KubeObjects): void {
  const at = strField(ctx, obj, 'addressType', 'EndpointSlice') ?? 'IPv4';
  const addressType = at === 'IPv6' || at === 'FQDN' ? at : 'IPv4';
  const endpoints: KubeEndpoint[] = mapsOf(ctx, obj, 'endpoints', 'EndpointSlice').map(({ item: e }) => {
    const c = mapField(ctx, e, 'conditions', 'endpoints[]') ?? {};
    const ready = boolField(ctx, c, 'ready', 'endpoints[].conditions') ?? true;
    // discovery.k8s.io/v1beta1 said where an endpoint runs in `topology`
    const topology = mapField(ctx, e, 'topology', 'endpoints[]');
    const nodeName = strField(ctx, e, 'nodeName', 'endpoints[]') ?? (topology ? strField(ctx, topology, 'kubernetes.io/hostname', 'endpoints[].topology') : undefined);
    const pod = podRef(e.targetRef, meta.namespace);
    return {
      addresses: strListField(ctx, e, 'addresses', 'endpoints[]'), ready,
      serving: boolField(ctx, c, 'serving', 'endpoints[].conditions') ?? ready,
      terminating: boolField(ctx, c, 'terminating', 'endpoints[].conditions') ?? false,
      ...(nodeName ? { nodeName } : {}), ...(pod ? { pod } : {}),
    };
  });
  const ports = mapsOf(ctx, obj, 'ports', 'EndpointSlice').flatMap(({ item: p }) => {
    const port = intField(ctx, p, 'port', 'ports[]', 1, 65535);
    const protocol = protocolField(ctx, p, 'ports[]');
    const name = strField(ctx, p, 'name', 'ports[]');
    return port !== undefined && protocol ? [{ port, protocol, ...(name ? { name } : {}) }] : [];
  });
  const service = meta.labels['kubernetes.io/service-name'];
  if (!service) reportAt(ctx, ctx.locs.value(obj, 'metadata'), 'kube-slice-without-service', 'warning', `EndpointSlice ${meta.name} has no kubernetes.io/service-name label: no Service uses it`);
  out.endpointSlices.push({ ...meta, service: service ?? '', addressType, endpoints, ports });
}

/** The older `Endpoints`: each subset becomes a slice; notReadyAddresses are endpoints that are not ready. */
function readEndpoints(ctx: KubeReadContext, obj: PlainMap, meta: KubeMeta, out: KubeObjects): void {
  for (const { item: s } of mapsOf(ctx, obj, 'subsets', 'Endpoints')) {
    const ep = (key: string, ready: boolean): KubeEndpoint[] => mapsOf(ctx, s, key, 'subsets[]').flatMap(({ item: a }) => {
      const ip = strField(ctx, a, 'ip', `subsets[].${key}[]`);
      const nodeName = strField(ctx, a, 'nodeName', `subsets[].${key}[]`);
      const pod = podRef(a.targetRef, meta.namespace);
      return ip ? [{ addresses: [ip], ready, serving: ready, terminating: false, ...(nodeName ? { nodeName } : {}), ...(pod ? { pod } : {}) }] : [];
    });
    const endpoints = [...ep('addresses', true), ...ep('notReadyAddresses', false)];
    const ports = mapsOf(ctx, s, 'ports', 'subsets[]').flatMap(({ item: p }) => {
      const port = intField(ctx, p, 'port', 'ports[]', 1, 65535);
      const protocol = protocolField(ctx, p, 'ports[]');
      const name = strField(ctx, p, 'name', 'ports[]');
      return port !== undefined && protocol ? [{ port, protocol, ...(name ? { name } : {}) }] : [];
    });
    const addressType = endpoints.some((e) => e.addresses[0].includes(':')) ? 'IPv6' : 'IPv4';
    out.endpointSlices.push({ ...meta, service: meta.name, addressType, endpoints, ports });
  }
}

function readWorkload(ctx: KubeReadContext, obj: PlainMap, meta: KubeMeta & { kind: WorkloadKind }, out: KubeObjects): void {
  const md = mapField(ctx, obj, 'metadata', meta.kind) ?? {};
  let spec = mapField(ctx, obj, 'spec', meta.kind) ?? {};
  if (meta.kind === 'CronJob') spec = mapField(ctx, mapField(ctx, spec, 'jobTemplate', 'spec') ?? {}, 'spec', 'spec.jobTemplate') ?? {};
  const template = mapField(ctx, spec, 'template', 'spec') ?? {};
  const tmd = mapField(ctx, template, 'metadata', 'spec.template') ?? {};
  const tspec = mapField(ctx, template, 'spec', 'spec.template') ?? {};
  const owner = ownerOf(ctx, md);
  out.workloads.push({
    ...meta, podLabels: labelsField(ctx, tmd, 'labels', 'spec.template.metadata') ?? {}, ports: portsOf(ctx, tspec),
    hostNetwork: boolField(ctx, tspec, 'hostNetwork', 'spec.template.spec') ?? false, ...(owner ? { owner } : {}),
  });
}

/** Reads one object (or a List of them) into `out`. */
export function readObject(ctx: KubeReadContext, v: Plain, range: Range | undefined, out: KubeObjects, listNamespace = ''): void {
  if (!isPlainMap(v)) {
    if (v !== null) reportAt(ctx, range, 'kube-not-an-object', 'error', 'expected a Kubernetes object (a map with apiVersion and kind)');
    return;
  }
  const kind = typeof v.kind === 'string' ? v.kind : undefined;
  if (kind && kind.endsWith('List') && Array.isArray(v.items)) {
    const md = isPlainMap(v.metadata) ? v.metadata : {};
    const ns = typeof md.namespace === 'string' ? md.namespace : listNamespace;
    const items = listField(ctx, v, 'items', kind);
    items.forEach((it, i) => readObject(ctx, it, isPlainMap(it) ? ctx.locs.of(it) : ctx.locs.item(items, i), out, ns));
    return;
  }
  if (kind && !MODELLED.has(kind)) {
    reportAt(ctx, ctx.locs.value(v, 'kind'), 'kube-kind-skipped', 'info', `kind ${kind} does not change where packets go: skipped`);
    return;
  }
  const meta = readMeta(ctx, v, range, listNamespace);
  if (!meta) return;
  switch (meta.kind) {
    case 'Pod': readPod(ctx, v, meta, out); return;
    case 'Node': readNode(ctx, v, meta, out); return;
    case 'Service': readService(ctx, v, meta, out); return;
    case 'EndpointSlice': readEndpointSlice(ctx, v, meta, out); return;
    case 'Endpoints': readEndpoints(ctx, v, meta, out); return;
    case 'Namespace':
      out.namespaces.push({ ...meta, labels: { ...meta.labels, 'kubernetes.io/metadata.name': meta.name } });
      return;
    case 'NetworkPolicy': {
      if (typeof v.apiVersion === 'string' && !v.apiVersion.startsWith('networking.k8s.io/')) {
        reportAt(ctx, ctx.locs.value(v, 'apiVersion'), 'kube-kind-skipped', 'info', `${v.apiVersion} NetworkPolicy is not the Kubernetes API's (networking.k8s.io/v1): skipped`);
        return;
      }
      const p = readNetworkPolicy(ctx, v, meta);
      if (p) out.policies.push(p);
      return;
    }
  }
  const wk = WORKLOAD_KINDS.find((k) => k === meta.kind);
  if (wk) { readWorkload(ctx, v, { ...meta, kind: wk }, out); return; }
  reportAt(ctx, ctx.locs.value(v, 'kind'), 'kube-kind-skipped', 'info', `kind ${meta.kind} does not change where packets go: skipped`);
}
