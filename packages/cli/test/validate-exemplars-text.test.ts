// An exemplar in the text format 0.0.4: the format has none, and Prometheus refuses the whole scrape
// ("expected integer as timestamp, got \"#\""), so `validate` reports it as `exemplar.format`
// whatever the line, instead of judging its kind as if the exposition were OpenMetrics.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parsePrometheusText } from '@datum-telemetry/conventions/prometheus';
import type { SinkSpan } from '@datum-telemetry/otlp-sink';
import { describe, expect, it } from 'vitest';
import type { CollectedTelemetry } from '../src/index.js';
import { runChecks } from '../src/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const EX = `# {trace_id="${TRACE}",span_id="${SPAN}"} 1 1796264664.1`;

const span = {
  traceId: TRACE,
  spanId: SPAN,
  name: 'GetOrder',
  kind: 'SERVER',
  startTimeUnixNano: 1796264664n * 1_000_000_000n,
  endTimeUnixNano: 1796264664n * 1_000_000_000n + 1000n,
  attributes: {},
  status: { code: 'UNSET' },
  events: [],
  links: [],
  resource: { 'service.name': 'shop' },
  scope: { name: 'shop' },
  flags: 1,
} as unknown as SinkSpan;

function exemplarFindings(text: string, format: 'text' | 'openmetrics') {
  const exposition = parsePrometheusText(text, { openMetrics: format === 'openmetrics' });
  const collected: CollectedTelemetry = {
    spans: [span],
    prometheus: [{ url: 'http://127.0.0.1:1/metrics', format, ...exposition }],
  };
  return runChecks(collected, undefined, { service: 'shop' }).findings.filter(
    (f) => f.check === 'metrics.exemplars',
  );
}

const COUNTER = `# HELP shop_orders_placed_total Orders.\n# TYPE shop_orders_placed_total counter\nshop_orders_placed_total 3 ${EX}\n`;
const HISTOGRAM = [
  '# HELP shop_request_duration_seconds Latency.',
  '# TYPE shop_request_duration_seconds histogram',
  `shop_request_duration_seconds_bucket{le="0.1"} 1 ${EX}`,
  'shop_request_duration_seconds_bucket{le="+Inf"} 1',
  'shop_request_duration_seconds_sum 0.004',
  'shop_request_duration_seconds_count 1',
  '',
].join('\n');

describe('an exemplar in the text format 0.0.4', () => {
  it.each([
    ["a counter's _total line", COUNTER, 'shop_orders_placed_total'],
    ["a histogram's _bucket line", HISTOGRAM, 'shop_request_duration_seconds_bucket'],
  ])('on %s is exemplar.format, a violation', (_what, text, name) => {
    const findings = exemplarFindings(text, 'text');
    expect(findings.map((f) => [f.rule, f.level, f.name])).toEqual([
      ['exemplar.format', 'violation', name],
    ]);
    expect(findings[0]!.message).toContain('the text format 0.0.4 has no exemplars');
  });

  it.skipIf(!existsSync('/usr/bin/promtool'))(
    'is what Prometheus refuses: promtool cannot parse either exposition',
    () => {
      for (const text of [COUNTER, HISTOGRAM]) {
        const run = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text });
        expect(run.status).not.toBe(0);
        expect(String(run.stderr) + String(run.stdout)).toMatch(/parsing error/);
      }
    },
  );

  it('the same exemplars served as OpenMetrics pass', () => {
    const open = `# HELP shop_orders_placed Orders.\n# TYPE shop_orders_placed counter\nshop_orders_placed_total 3 ${EX}\n${HISTOGRAM}# EOF\n`;
    expect(exemplarFindings(open, 'openmetrics')).toEqual([]);
  });
});
