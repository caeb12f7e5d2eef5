// The service's own metrics, declared once: names are checked against the conventions here, and
// `datum-telemetry validate` reads the same definition (`computeMetrics.toJSON()`). The request
// count and duration per resource come from the middleware.
// #region definition
import { defineMetrics } from '@datum-telemetry/metrics';

export const computeMetrics = defineMetrics({
  service: 'compute',
  metrics: {
    vmActive: {
      name: 'compute.vm.active',
      kind: 'updowncounter',
      unit: '{vm}',
      description: 'Virtual machines that exist',
      attributes: ['namespace'],
      valueType: 'int',
    },
    vmProvisioning: {
      name: 'compute.vm.provisioning.duration.seconds',
      kind: 'histogram',
      description: 'Time from a create request to a running virtual machine',
      attributes: ['result'],
    },
  },
});
// #endregion definition
