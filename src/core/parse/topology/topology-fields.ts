/**
 * The fields the topology format (version 1) knows, per kind of map. The reader
 * warns on anything else, and the JSON schema (schemas/topology.schema.json) is
 * tested against these lists so the editor's completion and the loader agree.
 */

/** Known fields by map kind; keys match the schema's `definitions` names. */
export const TOPOLOGY_FIELDS = {
  root: ['apiVersion', 'kind', 'metadata', 'spec'],
  metadata: ['name', 'labels', 'annotations'],
  spec: ['clusterCIDR', 'serviceCIDR', 'dnsDomain', 'routers', 'hosts', 'nodes', 'pods', 'services', 'dns', 'network'],
  network: ['plugin', 'backend', 'vni', 'port', 'mtu'],
  router: ['name', 'ip', 'interfaces', 'routes', 'ipRules', 'iptables', 'nftables', 'ipForward'],
  host: ['name', 'ip', 'interfaces', 'routes', 'ipRules', 'iptables', 'nftables', 'ipForward'],
  node: ['name', 'ip', 'podCIDR', 'bridge', 'interfaces', 'routes', 'ipRules', 'iptables', 'nftables', 'bridgeNfCallIptables', 'hairpinMode', 'ipForward', 'neighbours', 'fdb'],
  pod: ['name', 'namespace', 'node', 'ip', 'labels', 'hostNetwork', 'interfaces', 'routes', 'resolvConf', 'dnsPolicy', 'dnsConfig', 'resolver', 'ready'],
  dnsConfig: ['nameservers', 'searches', 'options'],
  dnsOption: ['name', 'value'],
  service: [
    'name', 'namespace', 'clusterIP', 'selector', 'endpoints', 'type', 'ports', 'externalName', 'sessionAffinity',
    'externalIPs', 'externalTrafficPolicy', 'internalTrafficPolicy', 'loadBalancerIP', 'loadBalancerIPs',
  ],
  servicePort: ['name', 'port', 'targetPort', 'protocol', 'nodePort'],
  dns: ['corefile', 'upstream'],
  fileSource: ['file'],
  inlineRoute: ['to', 'via', 'dev', 'type', 'metric', 'src', 'table'],
} as const;

/** A kind of map in the topology file. */
export type TopologyMapKind = keyof typeof TOPOLOGY_FIELDS;

/** The `apiVersion` this reader understands. */
export const TOPOLOGY_API_VERSION = 'kube-netsim/v1';
/** The only `kind`. */
export const TOPOLOGY_KIND = 'Cluster';
