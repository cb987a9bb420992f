/**
 * Label selectors and `networking.k8s.io/v1` NetworkPolicies, read and
 * validated as the API server validates them: a policy the server would refuse
 * (an unknown selector operator, a named port with an `endPort`, a peer with
 * both an ipBlock and a selector, a bad CIDR) is reported at the offending value
 * and left out, since it would not exist in the cluster.
 */
import type { KubeNetworkPolicy, LabelSelector, PolicyPeer, PolicyPort, PolicyRule, SelectorOperator } from '../../model/kubernetes';
import { covers, parsePrefix } from '../../net/prefix';
import { type PlainMap, isPlainMap } from './located';
import {
  type KubeReadContext, intField, labelsField, listField, mapField, mapsOf, originAt, protocolField, reportAt, strField, strListField,
} from './read-context';

/** A CIDR as the API takes it: an address, a slash and a length (no netmask, no bare address). */
function kubeCidr(s: string): ReturnType<typeof parsePrefix> {
  return /\/\d{1,3}$/.test(s) ? parsePrefix(s) : undefined;
}

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Reads a label selector; undefined (reported) when the API would refuse it. */
export function readSelector(ctx: KubeReadContext, m: PlainMap, what: string): LabelSelector | undefined {
  const before = ctx.issues.length;
  const matchLabels = labelsField(ctx, m, 'matchLabels', what) ?? {};
  const matchExpressions: LabelSelector['matchExpressions'] = [];
  for (const { item } of mapsOf(ctx, m, 'matchExpressions', what)) {
    const key = strField(ctx, item, 'key', `${what}.matchExpressions[]`);
    const op = strField(ctx, item, 'operator', `${what}.matchExpressions[]`);
    const values = strListField(ctx, item, 'values', `${what}.matchExpressions[]`);
    if (key === undefined) { reportAt(ctx, ctx.locs.of(item), 'kube-missing-field', 'error', `a match expression of ${what} needs "key"`); continue; }
    const operator = OPERATORS.find((o) => o === op);
    if (operator === undefined) {
      reportAt(ctx, ctx.locs.value(item, 'operator'), 'kube-bad-selector-operator', 'error',
        `unknown selector operator "${op ?? ''}" in ${what}: the API accepts In, NotIn, Exists, DoesNotExist`);
      continue;
    }
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      reportAt(ctx, ctx.locs.value(item, 'operator'), 'kube-bad-selector-values', 'error', `operator ${operator} in ${what} needs at least one value`);
      continue;
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      reportAt(ctx, ctx.locs.value(item, 'values'), 'kube-bad-selector-values', 'error', `operator ${operator} in ${what} takes no values`);
      continue;
    }
    matchExpressions.push({ key, operator, values });
  }
  return ctx.issues.slice(before).some((i) => i.severity === 'error') ? undefined : { matchLabels, matchExpressions };
}

/** An IANA service name, which is what a named port must be (RFC 6335 as the API checks it). */
function isPortName(s: string): boolean {
  return s.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}

function readPort(ctx: KubeReadContext, p: PlainMap, what: string): PolicyPort | undefined {
  const protocol = protocolField(ctx, p, what);
  const raw = p.port;
  const endPort = intField(ctx, p, 'endPort', what, 1, 65535);
  if (protocol === undefined || (p.endPort !== undefined && p.endPort !== null && endPort === undefined)) return undefined;
  let port: number | string | undefined;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 1 || raw > 65535) {
      reportAt(ctx, ctx.locs.value(p, 'port'), 'kube-bad-port', 'error', `${what}.port must be 1-65535 or a port name`);
      return undefined;
    }
    port = raw;
  } else if (typeof raw === 'string') {
    if (!isPortName(raw)) {
      reportAt(ctx, ctx.locs.value(p, 'port'), 'kube-bad-port', 'error',
        `${what}.port "${raw}" is neither a number nor a port name (lowercase letters, digits and "-", at most 15, at least one letter)`);
      return undefined;
    }
    port = raw;
  } else if (raw !== undefined && raw !== null) {
    reportAt(ctx, ctx.locs.value(p, 'port'), 'kube-bad-port', 'error', `${what}.port must be a number or a port name`);
    return undefined;
  }
  if (endPort !== undefined) {
    if (typeof port !== 'number') {
      reportAt(ctx, ctx.locs.key(p, 'endPort'), 'kube-endport-without-number', 'error',
        port === undefined ? `${what}.endPort needs a numeric port` : `${what}.endPort cannot follow a named port ("${port}"): a range needs a numeric start`);
      return undefined;
    }
    if (endPort < port) {
      reportAt(ctx, ctx.locs.value(p, 'endPort'), 'kube-bad-port', 'error', `${what}.endPort ${endPort} is below port ${port}`);
      return undefined;
    }
  }
  return { protocol, ...(port !== undefined ? { port } : {}), ...(endPort !== undefined ? { endPort } : {}) };
}

function readPeer(ctx: KubeReadContext, p: PlainMap, what: string): PolicyPeer | undefined {
  const ipBlock = mapField(ctx, p, 'ipBlock', what);
  const podSel = mapField(ctx, p, 'podSelector', what);
  const nsSel = mapField(ctx, p, 'namespaceSelector', what);
  if (ipBlock && (podSel || nsSel)) {
    reportAt(ctx, ctx.locs.key(p, 'ipBlock'), 'kube-bad-peer', 'error', `a peer of ${what} has an ipBlock and a selector: the API allows one or the other`);
    return undefined;
  }
  if (ipBlock) {
    const cidrText = strField(ctx, ipBlock, 'cidr', `${what}.ipBlock`);
    const cidr = cidrText === undefined ? undefined : kubeCidr(cidrText);
    if (!cidr) {
      reportAt(ctx, ctx.locs.value(ipBlock, 'cidr'), 'kube-bad-cidr', 'error', `${what}.ipBlock.cidr ${cidrText === undefined ? 'is missing' : `"${cidrText}" is not a CIDR`}`);
      return undefined;
    }
    const except = strListField(ctx, ipBlock, 'except', `${what}.ipBlock`);
    const list = listField(ctx, ipBlock, 'except', `${what}.ipBlock`);
    for (let i = 0; i < except.length; i++) {
      const e = kubeCidr(except[i]);
      if (!e || !covers(cidr, e) || e.len <= cidr.len) {
        reportAt(ctx, ctx.locs.item(list, i), 'kube-bad-cidr', 'error',
          !e ? `"${except[i]}" is not a CIDR` : `except ${except[i]} must lie strictly inside ${cidrText}`);
        return undefined;
      }
    }
    return { ipBlock: { cidr: cidrText!, except } };
  }
  if (!podSel && !nsSel) {
    reportAt(ctx, ctx.locs.of(p), 'kube-bad-peer', 'error', `a peer of ${what} names nothing: give podSelector, namespaceSelector or ipBlock`);
    return undefined;
  }
  const podSelector = podSel ? readSelector(ctx, podSel, `${what}.podSelector`) : undefined;
  const namespaceSelector = nsSel ? readSelector(ctx, nsSel, `${what}.namespaceSelector`) : undefined;
  if ((podSel && !podSelector) || (nsSel && !namespaceSelector)) return undefined;
  return { ...(podSelector ? { podSelector } : {}), ...(namespaceSelector ? { namespaceSelector } : {}) };
}

function readRules(ctx: KubeReadContext, spec: PlainMap, dir: 'ingress' | 'egress'): PolicyRule[] | undefined {
  const peerKey = dir === 'ingress' ? 'from' : 'to';
  const out: PolicyRule[] = [];
  let ok = true;
  for (const { item, range } of mapsOf(ctx, spec, dir, 'spec')) {
    const what = `spec.${dir}[].${peerKey}`;
    const peers: PolicyPeer[] = [];
    for (const { item: p } of mapsOf(ctx, item, peerKey, `spec.${dir}[]`)) {
      const peer = readPeer(ctx, p, what);
      if (peer) peers.push(peer);
      else ok = false;
    }
    const ports: PolicyPort[] = [];
    for (const { item: p } of mapsOf(ctx, item, 'ports', `spec.${dir}[]`)) {
      const port = readPort(ctx, p, `spec.${dir}[].ports[]`);
      if (port) ports.push(port);
      else ok = false;
    }
    out.push({
      ...(peers.length > 0 ? { peers } : {}),
      ...(ports.length > 0 ? { ports } : {}),
      origin: originAt(ctx, range),
    });
  }
  return ok ? out : undefined;
}

/**
 * Reads a NetworkPolicy's spec. Effective policyTypes: as written, else
 * Ingress, plus Egress when the policy has egress rules (the API's default).
 */
export function readNetworkPolicy(ctx: KubeReadContext, obj: PlainMap, meta: Omit<KubeNetworkPolicy, 'podSelector' | 'policyTypes' | 'ingress' | 'egress'>): KubeNetworkPolicy | undefined {
  const before = ctx.issues.length;
  const spec = mapField(ctx, obj, 'spec', meta.kind) ?? {};
  const ps = spec.podSelector;
  let podSelector: LabelSelector | undefined = { matchLabels: {}, matchExpressions: [] };
  if (isPlainMap(ps)) podSelector = readSelector(ctx, ps, 'spec.podSelector');
  else if (ps !== undefined && ps !== null) { reportAt(ctx, ctx.locs.value(spec, 'podSelector'), 'kube-wrong-type', 'error', 'spec.podSelector must be a map'); podSelector = undefined; }
  const ingress = readRules(ctx, spec, 'ingress');
  const egress = readRules(ctx, spec, 'egress');
  const written = strListField(ctx, spec, 'policyTypes', 'spec');
  const typesList = listField(ctx, spec, 'policyTypes', 'spec');
  const policyTypes: ('Ingress' | 'Egress')[] = [];
  written.forEach((t, i) => {
    if (t === 'Ingress' || t === 'Egress') { if (!policyTypes.includes(t)) policyTypes.push(t); }
    else reportAt(ctx, ctx.locs.item(typesList, i), 'kube-bad-value', 'error', `policyTypes may hold Ingress and Egress only (got "${t}")`);
  });
  if (written.length === 0) {
    policyTypes.push('Ingress');
    if ((egress?.length ?? 0) > 0) policyTypes.push('Egress');
  }
  if (!podSelector || !ingress || !egress || ctx.issues.slice(before).some((i) => i.severity === 'error')) {
    reportAt(ctx, ctx.locs.value(obj, 'kind'), 'kube-policy-refused', 'error',
      `NetworkPolicy ${meta.namespace}/${meta.name} would be refused by the API server (see the errors above); it is left out`);
    return undefined;
  }
  return {
    ...meta, podSelector, policyTypes, ingress, egress,
    ...(isPlainMap(ps) ? { podSelectorOrigin: originAt(ctx, ctx.locs.key(spec, 'podSelector')) } : {}),
  };
}
