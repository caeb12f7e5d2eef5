// `@datum-telemetry/conventions/prometheus`: the Prometheus text format and OpenMetrics, read. The one parser of
// the repository: `datum-telemetry validate` reads scraped endpoints with it, and the metrics
// tests read the serializer's output with it in strict mode.
export { parsePrometheusText } from './parse.js';
export type {
  PrometheusExemplar,
  PrometheusExposition,
  PrometheusFamily,
  PrometheusParseError,
  PrometheusParseOptions,
  PrometheusSample,
  PrometheusType,
} from './types.js';
