import {
  resolveExporterKind,
  resolveOtlpSettings,
  resolveResourceAttributes,
} from '@datum-telemetry/config';

// Every function takes the environment as an argument (process.env by default).
const env = {
  KUBERNETES_SERVICE_HOST: '10.96.0.1',
  POD_NAMESPACE: 'prod',
  OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2.3',
};
const resource = resolveResourceAttributes({ service: 'compute' }, env);
console.log(resource['service.name'], resource['service.version'], resource['k8s.namespace.name']);
// compute 1.2.3 prod

// The embedded default: metrics are served to Prometheus until an exporter is chosen.
console.log(resolveExporterKind('metrics', undefined, {}));
// prometheus

// One endpoint variable, the per-signal path added as the OTLP specification says.
const otlp = resolveOtlpSettings(
  'traces',
  {},
  { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
);
console.log(otlp.url);
// http://127.0.0.1:4318/v1/traces
