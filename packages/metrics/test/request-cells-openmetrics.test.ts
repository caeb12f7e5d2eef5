// The request cells' exemplars as `setupMetrics` serves them in OpenMetrics 1.0, read back by the
// strict parser of Debian's python3-prometheus-client: bad span contexts and label values that
// would break a line keep the exposition valid, and 100 000 distinct spans on one series leave one
// exemplar per bucket (the last span of each) and one on the counter, scrape after scrape.

import type { RequestMetricsRecorder } from '@datum-telemetry/config/request-cells';
import { requestCellStoreOf } from '@datum-telemetry/config/request-cells';
import type { SpanContext } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { OracleSample } from '../../../test-support/openmetrics-oracle.mjs';
import {
  ensureOpenMetricsParser,
  validOpenMetrics,
} from '../../../test-support/openmetrics-oracle.mjs';
import type { MetricsHandle } from '../src/index.js';
import { setupMetrics } from '../src/index.js';

const parser = ensureOpenMetricsParser();
if (!parser.available) console.warn(`request-cells-openmetrics.test.ts: ${parser.reason}`);

const BOUNDARIES = [0.01, 0.1, 1];
const SPEC = {
  scope: { name: '@datum-telemetry/http', version: '9.9.9' },
  keys: {
    method: 'http.request.method',
    route: 'http.route',
    status: 'http.response.status_code',
    operation: 'operation',
  },
  counter: { name: 'compute.http.requests.total', description: 'Requests', unit: '{request}' },
  histogram: {
    name: 'compute.http.request.duration.seconds',
    description: 'Duration of requests',
    unit: 's',
    boundaries: BOUNDARIES,
  },
};

let handle: MetricsHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

function recorder(): RequestMetricsRecorder {
  handle = setupMetrics({
    service: 'compute',
    prometheus: { serve: false },
    register: false,
    env: {},
  });
  const recorder = requestCellStoreOf(handle.meterProvider)?.requestMetrics(SPEC);
  if (recorder === undefined) throw new Error('setupMetrics gave no request cells');
  expect(recorder.exemplars).toBe(true);
  return recorder;
}

let nextId = 1;
function span(): SpanContext {
  const id = nextId++;
  return {
    traceId: id.toString(16).padStart(32, 'c'),
    spanId: id.toString(16).padStart(16, 'd'),
    traceFlags: TraceFlags.SAMPLED,
  };
}

/** The exposition, checked by the strict parser when it is there, as samples by name. */
async function scrape(): Promise<{ text: string; samples: OracleSample[] | undefined }> {
  const text = await handle!.scrape({ format: 'openmetrics' });
  expect(text.endsWith('# EOF\n')).toBe(true);
  if (!parser.available) return { text, samples: undefined };
  return { text, samples: [...validOpenMetrics(text).values()].flatMap((f) => f.samples) };
}

/** The `_bucket` and `_total` lines of the request metrics. */
function lines(text: string, route: string): string[] {
  return text
    .split('\n')
    .filter(
      (line) =>
        /^compute_http_request(s_total|_duration_seconds_bucket)\{/.test(line) &&
        line.includes(`http_route="${route}"`),
    );
}

describe('the request cells in OpenMetrics', () => {
  it('span contexts with invalid ids give no exemplar; the exposition stays valid', async () => {
    const record = recorder();
    const bad: SpanContext[] = [
      { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 },
      { traceId: 'a'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 },
      { traceId: 'a'.repeat(31), spanId: 'b'.repeat(16), traceFlags: 1 },
      { traceId: `${'a'.repeat(31)}"`, spanId: 'b'.repeat(16), traceFlags: 1 },
      { traceId: `${'a'.repeat(30)}\n}`, spanId: 'b'.repeat(16), traceFlags: 1 },
      { traceId: 'g'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 },
      { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0 },
    ];
    for (const spanContext of bad) record.record('/bad', 'GET', 200, undefined, 0.05, spanContext);
    const { text, samples } = await scrape();
    const found = lines(text, '/bad');
    expect(found).toHaveLength(BOUNDARIES.length + 2);
    for (const line of found) expect(line).not.toContain(' # {');
    if (samples !== undefined) {
      expect(samples.filter((s) => s.exemplar !== null)).toEqual([]);
    }
  });

  it('label values that would break a line keep their series and exemplars valid', async () => {
    const record = recorder();
    const routes = [
      '/say/"hi"',
      '/dir\\sub\\',
      '/line\nbreak',
      '/brace/} # {trace_id="x"} 1 2',
      `/${'long'.repeat(2000)}`,
    ];
    const spans = routes.map(() => span());
    routes.forEach((route, i) => {
      record.record(route, 'GET', 200, undefined, 0.05, spans[i]);
    });
    const { text, samples } = await scrape();
    for (const s of spans) expect(text).toContain(`span_id="${s.spanId}"`);
    if (samples !== undefined) {
      for (const [i, route] of routes.entries()) {
        const own = samples.filter((s) => s.labels.http_route === route && s.exemplar !== null);
        // The second bucket and the counter.
        expect(own.map((s) => s.exemplar!.labels)).toEqual([
          { trace_id: spans[i]!.traceId, span_id: spans[i]!.spanId },
          { trace_id: spans[i]!.traceId, span_id: spans[i]!.spanId },
        ]);
      }
    }
  });

  it('100 000 distinct spans on one series: one exemplar per bucket, the last of each, and one on the counter, scrape after scrape', async () => {
    const record = recorder();
    const values = [0.005, 0.05, 0.5, 5];
    for (let round = 0; round < 2; round++) {
      const lastOf: SpanContext[] = [];
      const all = new Set<string>();
      for (let i = 0; i < 100_000; i++) {
        const s = span();
        const bucket = i % values.length;
        record.record('/one', 'GET', 200, undefined, values[bucket]!, s);
        lastOf[bucket] = s;
        all.add(s.spanId);
      }
      const { text, samples } = await scrape();
      const found = lines(text, '/one');
      const buckets = found.filter((l) => l.includes('_bucket{'));
      expect(buckets).toHaveLength(BOUNDARIES.length + 1);
      // The `le` buckets are cumulative; the exemplar on each is the last span of that bucket.
      buckets.forEach((line, b) => {
        expect(line).toContain(
          `# {trace_id="${lastOf[b]!.traceId}",span_id="${lastOf[b]!.spanId}"}`,
        );
        expect(line.split(' # {')).toHaveLength(2);
      });
      const [total] = found.filter((l) => l.startsWith('compute_http_requests_total'));
      expect(total).toMatch(
        new RegExp(
          `} ${(round + 1) * 100_000} # \\{trace_id="[0-9a-f]{32}",span_id="([0-9a-f]{16})"\\} 1 `,
        ),
      );
      const kept = total!.match(/span_id="([0-9a-f]{16})"/)![1]!;
      expect(all.has(kept)).toBe(true);
      if (samples !== undefined) {
        const own = samples.filter((s) => s.labels.http_route === '/one');
        expect(own.filter((s) => s.exemplar !== null)).toHaveLength(BOUNDARIES.length + 2);
      }
    }
  });
});
