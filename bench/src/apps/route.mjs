// The one route every configuration serves: a Kubernetes-style read with two path parameters and
// a JSON body, the shape of a Datum Cloud API.
export const GROUP = 'compute.datumapis.com';
export const API_VERSION = `${GROUP}/v1alpha1`;
export const ROUTE = `/apis/${API_VERSION}/namespaces/:namespace/virtualmachines/:name`;
export const KOA_ROUTE = ROUTE;

export const RESOURCES = [
  { group: GROUP, plural: 'virtualmachines', kind: 'VirtualMachine', short: 'vm' },
];

/** The paths the load generator cycles through: a few names, so nothing is one cached string. */
export const PATHS = [
  ['default', 'vm-1'],
  ['default', 'vm-2'],
  ['team-a', 'web-7'],
  ['team-b', 'db-0'],
].map(
  ([namespace, name]) => `/apis/${API_VERSION}/namespaces/${namespace}/virtualmachines/${name}`,
);

export function virtualMachine(namespace, name) {
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: { name, namespace, labels: { tier: 'bench' } },
    spec: { cpu: 2, memory: '4Gi', image: 'ubuntu-24.04' },
    status: { phase: 'Running' },
  };
}
