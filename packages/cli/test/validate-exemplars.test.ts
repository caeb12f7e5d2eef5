// The exemplar rules of `validate` (check `metrics.exemplars`): the scrape asks for OpenMetrics and
// falls back to the text format 0.0.4; an exemplar on a line OpenMetrics does not allow is
// `exemplar.kind`, one naming a trace no exported span belongs to is `exemplar.trace.unknown`.
// First on collected data (each rule, level and fix), then on a real process: a fake service that
// exports one span to the validator's OTLP receiver and serves OpenMetrics on loopback.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { parsePrometheusText } from '@datum-telemetry/conventions/prometheus';
import type { SinkSpan } from '@datum-telemetry/otlp-sink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectedTelemetry, ValidationFinding } from '../src/index.js';
import { runChecks } from '../src/index.js';
import { SCRAPE_ACCEPT, scrapePrometheus } from '../src/validate/scrape.js';
import { fixture, runBin } from './support.js';

const KNOWN = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTHER = '0af7651916cd43dd8448eb211c80319c';
const SPAN = '00f067aa0ba902b7';
const ex = (trace: string, value: number) =>
  `# {trace_id="${trace}",span_id="${SPAN}"} ${value} 1796264664.1`;

/** A span; it starts at 1796264664 s (the exemplars' time) unless told. */
function span(traceId: string, startSeconds = 1796264664): SinkSpan {
  return {
    traceId,
    spanId: SPAN,
    name: 'GetOrder',
    kind: 'SERVER',
    startTimeUnixNano: BigInt(startSeconds) * 1_000_000_000n,
    endTimeUnixNano: BigInt(startSeconds) * 1_000_000_000n + 1000n,
    attributes: {},
    status: { code: 'UNSET' },
    events: [],
    links: [],
    resource: { 'service.name': 'shop' },
    scope: { name: 'shop' },
    flags: 1,
  } as unknown as SinkSpan;
}

function check(lines: string[], spans: SinkSpan[] = [span(KNOWN)], managed = true) {
  const exposition = parsePrometheusText(`${lines.join('\n')}\n# EOF\n`, { openMetrics: true });
  expect(exposition.errors).toEqual([]);
  const collected: CollectedTelemetry = {
    spans,
    prometheus: [{ url: 'http://127.0.0.1:1/metrics', format: 'openmetrics', ...exposition }],
    ...(managed
      ? {
          service: {
            command: 'node app.js',
            exitCode: 0,
            signal: null,
            exitedEarly: false,
            killed: false,
          },
        }
      : {}),
  };
  const result = runChecks(collected, undefined, { service: 'shop' });
  return {
    findings: result.findings.filter((f) => f.check === 'metrics.exemplars'),
    check: result.checks.find((c) => c.id === 'metrics.exemplars')!,
  };
}

const GOOD = [
  '# TYPE shop_orders_placed counter',
  `shop_orders_placed_total 3 ${ex(KNOWN, 1)}`,
  '# TYPE shop_request_duration_seconds histogram',
  `shop_request_duration_seconds_bucket{le="0.1"} 1 ${ex(KNOWN, 0.004)}`,
  `shop_request_duration_seconds_bucket{le="+Inf"} 1`,
  'shop_request_duration_seconds_sum 0.004',
  'shop_request_duration_seconds_count 1',
  '# TYPE shop_queue gaugehistogram',
  `shop_queue_bucket{le="+Inf"} 1 ${ex(KNOWN, 3)}`,
  'shop_queue_gcount 1',
  'shop_queue_gsum 3',
];

describe('metrics.exemplars on collected data', () => {
  it('passes exemplars on _total and _bucket lines that name exported traces', () => {
    const { findings, check: c } = check(GOOD);
    expect(findings).toEqual([]);
    expect(c.status).toBe('passed');
  });

  it('is skipped when no exemplar was scraped', () => {
    const { check: c } = check(['# TYPE shop_cart_items gauge', 'shop_cart_items 2']);
    expect(c.status).toBe('skipped');
    expect(c.skipped).toMatch(/no exemplar was scraped/);
  });

  it.each([
    [
      'a gauge',
      ['# TYPE shop_cart_items gauge', `shop_cart_items 2 ${ex(KNOWN, 2)}`],
      'shop_cart_items',
      'is a gauge',
    ],
    [
      "a histogram's _count",
      [
        '# TYPE shop_d histogram',
        'shop_d_bucket{le="+Inf"} 1',
        `shop_d_count 1 ${ex(KNOWN, 1)}`,
        'shop_d_sum 1',
      ],
      'shop_d_count',
      'is a histogram',
    ],
    [
      "a counter's _created",
      ['# TYPE shop_c counter', 'shop_c_total 1', `shop_c_created 5 ${ex(KNOWN, 1)}`],
      'shop_c_created',
      'is a counter',
    ],
    [
      'a summary',
      ['# TYPE shop_s summary', `shop_s_count 1 ${ex(KNOWN, 1)}`, 'shop_s_sum 1'],
      'shop_s_count',
      'is a summary',
    ],
    ['an untyped family', [`shop_u 1 ${ex(KNOWN, 1)}`], 'shop_u', 'has no type'],
  ])('reports an exemplar on %s as exemplar.kind', (_, lines, name, what) => {
    const { findings, check: c } = check(lines);
    expect(findings.map((f) => [f.rule, f.level, f.name])).toEqual([
      ['exemplar.kind', 'violation', name],
    ]);
    expect(findings[0]!.message).toContain(what);
    expect(findings[0]!.message).toContain(
      'OpenMetrics allows exemplars on counter `_total` and histogram `_bucket` lines only',
    );
    expect(c.status).toBe('failed');
  });

  it('reports an exemplar whose trace was never exported as exemplar.trace.unknown, once per series name with a count', () => {
    const { findings } = check([
      ...GOOD.slice(0, 4),
      `shop_request_duration_seconds_bucket{le="+Inf"} 2 ${ex(OTHER, 2)}`,
      'shop_request_duration_seconds_sum 2.004',
      'shop_request_duration_seconds_count 2',
      '# TYPE shop_refunds counter',
      `shop_refunds_total{a="1"} 1 ${ex(OTHER, 1)}`,
      `shop_refunds_total{a="2"} 1 ${ex(OTHER, 1)}`,
    ]);
    expect(findings.map((f) => [f.rule, f.level, f.name, f.count])).toEqual([
      ['exemplar.trace.unknown', 'violation', 'shop_refunds_total', 2],
      ['exemplar.trace.unknown', 'violation', 'shop_request_duration_seconds_bucket', 1],
    ]);
    expect(findings[1]!.message).toContain(
      `the trace_id \`${OTHER}\`, but no span of that trace was exported`,
    );
    expect(findings[1]!.message).toContain('only when that span is sampled');
  });

  it('a service started elsewhere: exemplars older than the first span received are not judged', () => {
    const lines = [
      '# TYPE shop_r counter',
      // Recorded a minute before the first span the receiver got: its span went elsewhere.
      `shop_r_total{a="old"} 1 # {trace_id="${OTHER}"} 1 1796264604`,
      '# TYPE shop_s counter',
      // Recorded while the receiver ran, and its trace never came: still a violation.
      `shop_s_total{a="new"} 1 # {trace_id="${OTHER}"} 1 1796264670`,
    ];
    const external = check(lines, [span(KNOWN, 1796264664)], false).findings;
    expect(external.map((f) => [f.rule, f.level, f.name])).toEqual([
      ['exemplar.trace.unknown', 'violation', 'shop_s_total'],
      ['exemplar.trace.unchecked', 'info', 'shop_r_total'],
    ]);
    expect(external[1]!.message).toContain('recorded before the first span the validator received');
    // A service the validator started has no older requests: both are judged.
    const managed = check(lines, [span(KNOWN, 1796264664)], true).findings;
    expect(managed.map((f) => f.rule)).toEqual([
      'exemplar.trace.unknown',
      'exemplar.trace.unknown',
    ]);
  });

  it('warns on an exemplar without trace_id, and says when no span came to match against', () => {
    const noTrace = check(['# TYPE shop_r counter', 'shop_r_total 1 # {span_id="ab"} 1']).findings;
    expect(noTrace.map((f) => [f.rule, f.level])).toEqual([['exemplar.trace.missing', 'warning']]);
    const noSpans = check(GOOD, []).findings;
    expect(new Set(noSpans.map((f) => [f.rule, f.level].join(' ')))).toEqual(
      new Set(['exemplar.trace.unchecked info']),
    );
  });
});

describe('scrapePrometheus negotiates OpenMetrics', () => {
  let server: Server;
  let base: string;
  const accepts: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      accepts.push(req.headers.accept ?? '');
      if (req.url === '/om') {
        res.writeHead(200, {
          'content-type': 'application/openmetrics-text; version=1.0.0; charset=utf-8',
        });
        res.end(`# TYPE a counter\na_total 1 ${ex(KNOWN, 1)}\n`); // no # EOF
      } else {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(`# TYPE a counter\na 1\n`);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('asks for OpenMetrics 1.0.0 first and reads an OpenMetrics answer by its rules', async () => {
    const scrape = await scrapePrometheus(`${base}/om`);
    expect(accepts.at(-1)).toBe(SCRAPE_ACCEPT);
    expect(SCRAPE_ACCEPT.startsWith('application/openmetrics-text;version=1.0.0')).toBe(true);
    expect(scrape.format).toBe('openmetrics');
    expect(scrape.families[0]!.samples[0]!.exemplar?.labels.trace_id).toBe(KNOWN);
    expect(scrape.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/# EOF/)]);
  });

  it('falls back to the text format 0.0.4 when the answer is not OpenMetrics', async () => {
    const scrape = await scrapePrometheus(`${base}/text`);
    expect(scrape.format).toBe('text');
    expect(scrape.errors).toEqual([]);
    expect(scrape.families[0]!.samples[0]!.value).toBe(1);
  });
});

describe('validate against a real process serving OpenMetrics', () => {
  async function validate(fault: string) {
    const run = await runBin(
      [
        'validate',
        '--format',
        'json',
        '--verbose',
        '--ready-url',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the validator substitutes ${PORT}
        'http://127.0.0.1:${PORT}/healthz',
        '--prometheus',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the validator substitutes ${PORT}
        'http://127.0.0.1:${PORT}/metrics',
        '--',
        process.execPath,
        fixture('openmetrics-fake.mjs'),
      ],
      { env: { EXEMPLAR_FAULT: fault } },
    );
    const report = JSON.parse(run.stdout) as {
      findings: ValidationFinding[];
      checks: { id: string; status: string }[];
      received: Record<string, number>;
    };
    return {
      run,
      report,
      exemplarFindings: report.findings.filter((f) => f.check === 'metrics.exemplars'),
    };
  }

  it('clean exemplars: no finding from the rules, and the check ran', async () => {
    const { run, report, exemplarFindings } = await validate('none');
    expect(run.stderr).toContain(`scraped with accept: ${SCRAPE_ACCEPT}`);
    expect(report.received.spans).toBe(1);
    expect(exemplarFindings).toEqual([]);
    expect(report.checks.find((c) => c.id === 'metrics.exemplars')!.status).toBe('passed');
    expect(report.findings.filter((f) => f.rule === 'prometheus.exposition.invalid')).toEqual([]);
  }, 60_000);

  it('an exemplar with an unknown trace id: exemplar.trace.unknown, exit 1', async () => {
    const { run, exemplarFindings } = await validate('unknown-trace');
    expect(exemplarFindings.map((f) => [f.rule, f.level, f.name])).toEqual([
      ['exemplar.trace.unknown', 'violation', 'shop_request_duration_seconds_bucket'],
    ]);
    expect(run.code).toBe(1);
  }, 60_000);

  it('an exemplar on a gauge: exemplar.kind, exit 1', async () => {
    const { run, exemplarFindings } = await validate('gauge');
    expect(exemplarFindings.map((f) => [f.rule, f.level, f.name])).toEqual([
      ['exemplar.kind', 'violation', 'shop_cart_items'],
    ]);
    expect(run.code).toBe(1);
  }, 60_000);
});
