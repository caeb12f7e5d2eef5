import { diag } from '@opentelemetry/api';

/**
 * Reports a step of the request's telemetry that threw. Callers catch inline (no closure per
 * request, see bench/README.md "Findings", first round, 4): a failing step is reported here and
 * the request, and the other steps, go on.
 */
export function reportFailure(what: string, error: unknown): void {
  diag.error(`@datum-telemetry/http: ${what} threw; the request goes on without it`, error);
}
