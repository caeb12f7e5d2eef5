import { defineMetrics, setupMetrics } from '@datum-telemetry/metrics';

// Once, at start-up. Prometheus is the default exporter (127.0.0.1:9464/metrics); port 0 picks a
// free port so this example never clashes. OTEL_* variables work too; code options win.
const telemetry = setupMetrics({ service: 'compute', prometheus: { port: 0 } });

// The service's metrics, declared once: every name is checked against Datum's naming rules here
// (and by TypeScript for literal names), and add()/record() only take the declared attribute keys.
const computeMetrics = defineMetrics({
  service: 'compute',
  metrics: {
    vmRequests: {
      name: 'compute.vm.requests.total',
      kind: 'counter',
      unit: '{request}',
      description: 'Requests to the VirtualMachine API',
      attributes: ['method', 'operation', 'code'],
      valueType: 'int',
    },
    vmDuration: {
      name: 'compute.vm.request.duration.seconds',
      kind: 'histogram',
      description: 'How long VirtualMachine requests take',
      attributes: ['method', 'operation'],
    },
  },
});
const { vmRequests, vmDuration } = computeMetrics.create(telemetry.meter());

vmRequests.add(1, { method: 'POST', operation: 'Create', code: '201' });
vmDuration.record(0.042, { method: 'POST', operation: 'Create' });

// Prometheus scrapes the endpoint; here the example reads it itself and checks the names.
await telemetry.ready;
const exposition = await (await fetch(telemetry.prometheusUrl)).text();
const expected = [
  '# TYPE compute_vm_requests_total counter',
  'compute_vm_requests_total{code="201",method="POST",operation="Create"} 1',
  '# TYPE compute_vm_request_duration_seconds histogram',
  'compute_vm_request_duration_seconds_bucket{method="POST",operation="Create",le="0.05"} 1',
  'compute_vm_request_duration_seconds_count{method="POST",operation="Create"} 1',
];
for (const line of expected) {
  if (!exposition.includes(`${line}\n`)) {
    throw new Error(`the exposition lacks ${line}:\n${exposition}`);
  }
}

// On SIGTERM: flush and stop within the deadline (5 s by default); never rejects.
await telemetry.shutdown();
console.log('quickstart ok');
