// The definition format `datum-telemetry.metrics/v1` has one home, @datum-telemetry/metrics; the CLI
// takes its type from there. What `defineMetrics(...).toJSON()` returns is a definition the CLI
// reads (the assignment below is checked by `pnpm typecheck`), and reads as declared.

import type { MetricsDefinitionJson } from '@datum-telemetry/metrics';
import { defineMetrics } from '@datum-telemetry/metrics';
import { describe, expect, it } from 'vitest';
import type { TelemetryDefinitionInput } from '../src/index.js';
import { normalizeDefinition } from '../src/index.js';

describe('the definition format of @datum-telemetry/metrics', () => {
  const definition = defineMetrics({
    service: 'compute',
    metrics: {
      vmRequests: { name: 'compute.vm.requests.total', kind: 'counter', unit: '{request}' },
      vmDuration: { name: 'compute.vm.request.duration.seconds', kind: 'histogram', unit: 's' },
    },
  });

  it('is what the CLI reads: toJSON() is a TelemetryDefinitionInput, read metric by metric', () => {
    const json: MetricsDefinitionJson = definition.toJSON();
    const input: TelemetryDefinitionInput = json;
    expect(normalizeDefinition(input)).toEqual({
      service: 'compute',
      metrics: [
        {
          name: 'compute.vm.requests.total',
          kind: 'counter',
          unit: '{request}',
          prometheusName: 'compute_vm_requests_total',
          description: '',
          attributes: [],
          buckets: null,
        },
        {
          name: 'compute.vm.request.duration.seconds',
          kind: 'histogram',
          unit: 's',
          prometheusName: 'compute_vm_request_duration_seconds',
          description: '',
          attributes: [],
          // Kept for the dashboard and the SLO checks (a latency threshold is a boundary).
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        },
      ],
      spans: [],
      verbs: [],
      kinds: [],
    });
  });

  it('names the formats it reads, the metrics one first, and refuses others', () => {
    expect(() =>
      normalizeDefinition({ ...definition.toJSON(), format: 'datum-telemetry.metrics/v2' }),
    ).toThrow(
      'definition.format: got "datum-telemetry.metrics/v2"; expected "datum-telemetry.metrics/v1" or "datum-telemetry.definition/v1"',
    );
  });
});
