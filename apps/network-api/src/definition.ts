// network-api's own metrics; request counts and durations come from the middleware.
import { defineMetrics } from '@datum-telemetry/metrics';

/** The resources the middleware serves; the definition declares them for dashboards and SLOs. */
export const RESOURCES = [
  {
    group: 'networking.datumapis.com',
    plural: 'ipaddresses',
    kind: 'IPAddress',
    short: 'ipaddress',
    versions: ['v1alpha1'],
  },
] as const;

export const networkMetrics = defineMetrics({
  service: 'network',
  metrics: {
    allocations: {
      name: 'network.ipaddress.allocations.total',
      kind: 'counter',
      unit: '{allocation}',
      description: 'IP address allocation attempts',
      attributes: ['result'],
      valueType: 'int',
    },
    allocated: {
      name: 'network.ipaddress.allocated',
      kind: 'updowncounter',
      unit: '{address}',
      description: 'Addresses currently allocated',
      valueType: 'int',
    },
  },
  resources: RESOURCES,
  slo: {
    ipaddress: {
      resource: 'ipaddress',
      availability: 99.9,
      latency: { threshold: 0.25, target: 99 },
      runbookUrl: 'https://runbooks.example.com/network/ipaddress',
    },
  },
});
