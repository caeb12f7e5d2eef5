// network-api's own metrics; request counts and durations come from the middleware.
import { defineMetrics } from '@datum-telemetry/metrics';

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
});
