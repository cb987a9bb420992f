/**
 * Kubernetes objects as the API server describes them, after reading: what
 * `kubectl get … -o yaml|json` prints, or manifests in a repository. Only the
 * fields the network cares about are kept; every object keeps the file and
 * span it was read from, so a diagnostic or a trace step can point at it.
 * Addresses are kept as written (IPv4 or IPv6 text); the layers above parse
 * what they use.
 */
import type { Origin } from '../source';

/** Where an object (or one of its parts) was written: an Origin whose text is the object's first line. */
export type KubeOrigin = Origin;

/** The fields every object has. */
export interface KubeMeta {
  kind: string;
  /** `default` when the object gives none (or the namespace of the List it came from); '' for cluster-scoped kinds. */
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** The whole object in its file. */
  origin: KubeOrigin;
}

/** A `matchExpressions` operator of a label selector. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** A label selector (`metav1.LabelSelector`): every term must hold; no terms selects everything. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: SelectorOperator; values: string[] }[];
}

/** A port a container declares (`spec.containers[].ports[]`); its `name` is what named ports refer to. */
export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: KubeProtocol;
}

/** The transport protocols Kubernetes knows. */
export type KubeProtocol = 'TCP' | 'UDP' | 'SCTP';

/** An owner reference (`metadata.ownerReferences[]` with `controller: true`, or the first one). */
export interface OwnerRef {
  kind: string;
  name: string;
}

/** `Node`. */
export interface KubeNode extends KubeMeta {
  /** `status.addresses` InternalIP (the first; IPv4 preferred). */
  internalIP?: string;
  /** `spec.podCIDRs` (or `spec.podCIDR`). */
  podCIDRs: string[];
}

/** `Pod`. */
export interface KubePod extends KubeMeta {
  nodeName?: string;
  /** `status.podIPs` (or `status.podIP`); empty until the pod runs. */
  ips: string[];
  hostNetwork: boolean;
  ports: ContainerPort[];
  owner?: OwnerRef;
  /** `status.conditions` Ready; pods without status (manifests) count as ready. */
  ready: boolean;
  /** `status.phase` (Running, Pending, Succeeded, Failed), when given. */
  phase?: string;
}

/** One port of a Service. */
export interface KubeServicePort {
  name?: string;
  port: number;
  /** A number, or a container port's name resolved per endpoint pod. Defaults to `port`. */
  targetPort: number | string;
  protocol: KubeProtocol;
  nodePort?: number;
}

/** `Service`. */
export interface KubeService extends KubeMeta {
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** `spec.clusterIPs` (or `clusterIP`); empty for headless (`None`) and ExternalName. */
  clusterIPs: string[];
  headless: boolean;
  ports: KubeServicePort[];
  /** Absent: the Service has no selector (its endpoints come from EndpointSlices / Endpoints). */
  selector?: Record<string, string>;
  externalIPs: string[];
  /** `status.loadBalancer.ingress[].ip`. */
  loadBalancerIPs: string[];
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  sessionAffinity: 'None' | 'ClientIP';
  /** `sessionAffinityConfig.clientIP.timeoutSeconds` (default 10800). */
  affinityTimeoutSeconds?: number;
  externalName?: string;
}

/** One endpoint of an EndpointSlice (or one address of an Endpoints subset). */
export interface KubeEndpoint {
  addresses: string[];
  /** `conditions.ready`: absent means ready (the API's rule). */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  /** `targetRef` when it names a Pod: `namespace/name`. */
  pod?: string;
}

/** `EndpointSlice` (`discovery.k8s.io/v1`) or the older `Endpoints`, read as one slice per subset. */
export interface KubeEndpointSlice extends KubeMeta {
  /** The Service it belongs to: label `kubernetes.io/service-name`, or the Endpoints' own name. */
  service: string;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: KubeEndpoint[];
  ports: { name?: string; port: number; protocol: KubeProtocol }[];
}

/** `Namespace`; its labels include `kubernetes.io/metadata.name`. */
export type KubeNamespace = KubeMeta;

/** The kinds whose pod template stands for pods not yet created. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'ReplicationController' | 'Job' | 'CronJob';

/** A workload: its pod template's labels and ports stand for its pods. */
export interface KubeWorkload extends KubeMeta {
  kind: WorkloadKind;
  /** The pod template's labels. */
  podLabels: Record<string, string>;
  ports: ContainerPort[];
  hostNetwork: boolean;
  owner?: OwnerRef;
}

/** A NetworkPolicy port: a number or a name (looked up in the destination pod), protocol, and an optional range end. */
export interface PolicyPort {
  protocol: KubeProtocol;
  /** Absent: every port of the protocol. */
  port?: number | string;
  /** Inclusive end of a numeric range starting at `port`. */
  endPort?: number;
}

/** One peer of a rule: selectors (AND when both are given), or an ipBlock. */
export type PolicyPeer =
  | { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: undefined }
  | { ipBlock: { cidr: string; except: string[] }; podSelector?: undefined; namespaceSelector?: undefined };

/** One ingress (from) or egress (to) rule. */
export interface PolicyRule {
  /** Absent (or empty in the object): every peer. */
  peers?: PolicyPeer[];
  /** Absent (or empty): every port. */
  ports?: PolicyPort[];
  /** Where the rule is written (its `- from:` / `- to:` item). */
  origin: KubeOrigin;
}

/** `NetworkPolicy` (`networking.k8s.io/v1`). */
export interface KubeNetworkPolicy extends KubeMeta {
  podSelector: LabelSelector;
  /** Effective policy types: as written, or `Ingress` plus `Egress` when the policy has egress rules. */
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
  /** Where `spec.podSelector` is written (hover, lint). */
  podSelectorOrigin?: KubeOrigin;
}

/** Everything read from a set of Kubernetes inputs. */
export interface KubeObjects {
  nodes: KubeNode[];
  pods: KubePod[];
  services: KubeService[];
  endpointSlices: KubeEndpointSlice[];
  namespaces: KubeNamespace[];
  workloads: KubeWorkload[];
  policies: KubeNetworkPolicy[];
}
