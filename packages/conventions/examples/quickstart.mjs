import {
  checkMetricName,
  createResourceRegistry,
  toPrometheusName,
} from '@datum-telemetry/conventions';

// A name that breaks a rule gets a finding that names the rule and the fix.
const [finding] = checkMetricName('compute.vm.requests', { kind: 'counter' });
console.log(finding.rule, finding.suggestion);
// metric.name.counter-suffix compute.vm.requests.total

// The one Prometheus name of a metric.
console.log(toPrometheusName('compute.vm.request.duration.seconds', 'histogram'));
// compute_vm_request_duration_seconds

// Kubernetes-style paths of declared resources map to a kind and a verb.
const registry = createResourceRegistry([
  {
    group: 'compute.datumapis.com',
    plural: 'virtualmachines',
    kind: 'VirtualMachine',
    short: 'vm',
  },
]);
const path = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines/vm-1';
const match = registry.match('DELETE', path);
console.log(match.spanName, match.namespace, match.name);
// DeleteVirtualMachine default vm-1
