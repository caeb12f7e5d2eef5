// The metrics tests read expositions with the repository's one Prometheus text parser (the one
// `datum-telemetry validate` reads endpoints with), in strict mode: a test that parses an
// exposition also checks it is valid text format 0.0.4 (HELP and TYPE where they belong, escapes,
// families together, histograms with ascending buckets and `+Inf` equal to `_count`). The parser's
// own tests, promtool as the oracle included, are in packages/conventions/test/prometheus-parse.test.ts.
import type { PrometheusFamily, PrometheusSample } from '@datum-telemetry/conventions/prometheus';
import { parsePrometheusText } from '@datum-telemetry/conventions/prometheus';

/** Parses an exposition, throwing on anything strict mode reports. Families are keyed by name. */
export function parseExposition(text: string): Map<string, PrometheusFamily> {
  const { families, errors } = parsePrometheusText(text, { strict: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `line ${e.line}: ${e.reason}`).join('\n');
    throw new Error(`the exposition is not valid:\n${lines}\n--- exposition ---\n${text}`);
  }
  return new Map(families.map((family) => [family.name, family]));
}

/** The samples of one family whose labels include `labels`. */
export function samplesOf(
  families: Map<string, PrometheusFamily>,
  name: string,
  labels: Record<string, string> = {},
): PrometheusSample[] {
  const family = families.get(name);
  if (family === undefined) return [];
  return family.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}
