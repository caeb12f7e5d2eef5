// The service's own metrics, declared once: names are checked against the conventions here, and
// `datum-telemetry validate` reads the same definition (`computeMetrics.toJSON()`). The request
// count and duration per resource come from the middleware.
// #region definition
import { defineMetrics } from '@datum-telemetry/metrics';

/** The resources the middleware serves; the definition declares them for dashboards and SLOs. */
export const RESOURCES = [
  {
    group: 'compute.datumapis.com',
    plural: 'virtualmachines',
    kind: 'VirtualMachine',
    short: 'vm',
    versions: ['v1alpha1'],
  },
] as const;

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
  resources: RESOURCES,
  slo: {
    vmAvailability: {
      resource: 'vm',
      availability: 99.5,
      runbookUrl: 'https://runbooks.example.com/compute/vm-availability',
      description: 'VirtualMachine requests succeed',
    },
    vmCreateLatency: {
      resource: 'vm',
      operation: 'Create',
      latency: { threshold: 0.5, target: 99 },
      runbookUrl: 'https://runbooks.example.com/compute/vm-create-latency',
    },
  },
});
// #endregion definition
