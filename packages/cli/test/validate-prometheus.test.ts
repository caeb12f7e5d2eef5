import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationFinding } from '../src/index.js';
import { fixture, runInProcess } from './support.js';

// A fixed exposition with good and bad names, served by a real HTTP server on loopback.
const BAD = `# HELP shop_orders_placed_total Orders placed
# TYPE shop_orders_placed_total counter
shop_orders_placed_total{method="POST"} 3
# TYPE shop_cart_items gauge
shop_cart_items 2
# TYPE shop_request_duration_seconds histogram
shop_request_duration_seconds_bucket{le="0.1"} 1
shop_request_duration_seconds_bucket{le="+Inf"} 2
shop_request_duration_seconds_sum 0.3
shop_request_duration_seconds_count 2
# TYPE shop_db_latency_seconds_seconds histogram
shop_db_latency_seconds_seconds_bucket{le="+Inf"} 1
shop_db_latency_seconds_seconds_sum 0.2
shop_db_latency_seconds_seconds_count 1
# TYPE shop_workers_busy counter
shop_workers_busy_total 4
# TYPE shop_payments counter
shop_payments 4
# TYPE shop_queue_total gauge
shop_queue_total 1
# TYPE shop_latency_milliseconds gauge
shop_latency_milliseconds 12
# TYPE shop_request_size_bytes_bytes gauge
shop_request_size_bytes_bytes 512
# TYPE Shop_Mixed gauge
Shop_Mixed 1
# TYPE shop_sessions gauge
shop_sessions{userId="u1"} 1
# TYPE shop_api_calls_total counter
shop_api_calls_total{authorization="Bearer abcdef123456"} 1
shop_api_calls_total{url_query="q=REDACTED"} 1
shop_api_calls_total{url_query="token=s3cr3tvalue"} 1
# TYPE shop_page_views_total counter
${Array.from({ length: 8 }, (_, i) => `shop_page_views_total{path="/p/${i}"} 1`).join('\n')}
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.5
# TYPE nginx_connections gauge
nginx_connections 7
shop_legacy 1
shop_broken{a="1" 2
# TYPE target_info gauge
target_info{service_name="shop"} 1
`;

const GOOD = `# HELP shop_orders_placed_total Orders placed
# TYPE shop_orders_placed_total counter
shop_orders_placed_total{method="POST",code="201"} 3
# TYPE shop_cart_items gauge
shop_cart_items 2
# TYPE shop_request_duration_seconds histogram
shop_request_duration_seconds_bucket{le="0.1"} 1
shop_request_duration_seconds_bucket{le="+Inf"} 2
shop_request_duration_seconds_sum 0.3
shop_request_duration_seconds_count 2
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.5
`;

const FOREIGN = `${GOOD}# TYPE nginx_connections gauge
nginx_connections 7
`;

const definition = {
  format: 'datum-telemetry.metrics/v1',
  service: 'shop',
  metrics: [
    { name: 'shop.orders.placed.total', kind: 'counter', unit: '{order}' },
    { name: 'shop.cart.items', kind: 'gauge', unit: '{item}' },
    { name: 'shop.request.duration.seconds', kind: 'histogram', unit: 's' },
    { name: 'shop.refunds.issued.total', kind: 'counter', unit: '{refund}' },
    { name: 'shop.db.latency.seconds', kind: 'histogram', unit: 's' },
    { name: 'shop.workers.busy', kind: 'gauge', unit: '{worker}' },
  ],
};
const goodDefinition = { ...definition, metrics: definition.metrics.slice(0, 3) };

let server: Server;
let base: string;
const scrapes: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'datum-cli-prom-'));
const definitionFile = join(dir, 'shop.json');
const goodDefinitionFile = join(dir, 'shop-good.json');

beforeAll(async () => {
  writeFileSync(definitionFile, JSON.stringify(definition));
  writeFileSync(goodDefinitionFile, JSON.stringify(goodDefinition));
  const bodies: Record<string, string> = { '/bad': BAD, '/good': GOOD, '/foreign': FOREIGN };
  server = createServer((req, res) => {
    scrapes.push(req.url ?? '');
    const body = bodies[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function validate(path: string, extra: string[] = []) {
  const run = await runInProcess([
    'validate',
    '--prometheus',
    `${base}${path}`,
    '--otlp-port',
    '0',
    '--duration',
    '0',
    '--quiet',
    ...extra,
  ]);
  return {
    ...run,
    findings: run.stdout.startsWith('{')
      ? (JSON.parse(run.stdout).findings as ValidationFinding[])
      : [],
  };
}

describe('validate --prometheus', () => {
  let findings: ValidationFinding[];
  let code: number | null;

  beforeAll(async () => {
    ({ findings, code } = await validate('/bad', [
      '--definition',
      definitionFile,
      '--max-series',
      '5',
      '--format',
      'json',
    ]));
  });

  const find = (rule: string, name: string) =>
    findings.find((f) => f.rule === rule && f.name === name);

  it('scrapes the endpoint once, after the run, and exits 1 on the bad names', () => {
    expect(scrapes.filter((s) => s === '/bad')).toHaveLength(1);
    expect(code).toBe(1);
  });

  it.each([
    ['metric.declared.missing', 'shop.refunds.issued.total', 'violation'],
    ['metric.declared.prometheus-name', 'shop.db.latency.seconds', 'violation'],
    ['metric.declared.kind', 'shop.workers.busy', 'violation'],
    ['metric.name.counter-suffix', 'shop_payments', 'violation'],
    ['metric.name.total-suffix', 'shop_queue_total', 'violation'],
    ['metric.name.non-base-unit', 'shop_latency_milliseconds', 'violation'],
    ['prometheus.name.doubled-suffix', 'shop_request_size_bytes_bytes', 'violation'],
    ['prometheus.name.format', 'Shop_Mixed', 'warning'],
    ['attribute.key.format', 'userId', 'violation'],
    ['attribute.key.sensitive', 'authorization', 'violation'],
    ['secret.query', 'url_query?token', 'violation'],
    ['metric.cardinality', 'shop_page_views_total', 'violation'],
    ['metric.name.semconv', 'process_cpu_seconds_total', 'info'],
    ['metric.name.service', 'nginx_connections', 'warning'],
    ['metric.name.service', 'Shop_Mixed', 'warning'],
    ['prometheus.type.missing', 'shop_legacy', 'warning'],
    ['prometheus.exposition.invalid', `${'http://127.0.0.1:'}`, 'violation'],
  ])('reports %s on %s as a %s', (rule, name, level) => {
    const f =
      rule === 'prometheus.exposition.invalid'
        ? findings.find((x) => x.rule === rule)
        : find(rule, name);
    expect(
      f,
      `${rule} ${name}: ${JSON.stringify(findings.map((x) => `${x.rule} ${x.name}`))}`,
    ).toBeDefined();
    expect(f!.level).toBe(level);
    expect(f!.signal).toBe('metrics');
  });

  it('explains each finding with the fix', () => {
    expect(find('metric.declared.prometheus-name', 'shop.db.latency.seconds')!.message).toContain(
      'is exposed to Prometheus as `shop_db_latency_seconds_seconds`, not as its one name `shop_db_latency_seconds`',
    );
    expect(find('metric.declared.kind', 'shop.workers.busy')!.message).toContain(
      '`# TYPE shop_workers_busy gauge`',
    );
    expect(find('metric.name.counter-suffix', 'shop_payments')!.suggestion).toBe(
      'shop_payments_total',
    );
    expect(find('metric.cardinality', 'shop_page_views_total')!.message).toContain(
      '`path` alone has 8 distinct values',
    );
    expect(findings.find((f) => f.rule === 'prometheus.exposition.invalid')!.message).toContain(
      `line ${BAD.split('\n').indexOf('shop_broken{a="1" 2') + 1}: expected \`,\` or \`}\` after a label`,
    );
  });

  it('passes what is right: declared metrics found with their type, target_info, redacted labels', () => {
    for (const name of [
      'shop.orders.placed.total',
      'shop.cart.items',
      'shop.request.duration.seconds',
    ]) {
      expect(findings.filter((f) => f.name === name)).toEqual([]);
    }
    expect(findings.some((f) => f.name.startsWith('shop_orders_placed_total'))).toBe(false);
    expect(findings.some((f) => f.name === 'target_info')).toBe(false);
    expect(find('secret.query', 'url_query?q')).toBeUndefined();
  });

  it('exits 0 on an endpoint with right names, and lists the skipped checks', async () => {
    const run = await validate('/good', ['--definition', goodDefinitionFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('info      metric.name.semconv  process_cpu_seconds_total');
    expect(run.stdout).toContain('skipped: ');
    expect(run.stdout).toContain('traces.names (no span was received)');
    expect(run.stdout).toContain('OK: 0 violations, 0 warnings, 1 info');
  });

  it('fails on warnings only with --fail-on warning', async () => {
    const lenient = await validate('/foreign', ['--definition', goodDefinitionFile]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('warning   metric.name.service  nginx_connections');
    const strict = await validate('/foreign', [
      '--definition',
      goodDefinitionFile,
      '--fail-on',
      'warning',
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('FAILED: 0 violations, 1 warning');
  });

  it('colours the report only on a terminal, and never with NO_COLOR', async () => {
    const args = [
      'validate',
      '--prometheus',
      `${base}/foreign`,
      '--service',
      'shop',
      '--otlp-port',
      '0',
      '--duration',
      '0',
      '--quiet',
    ];
    const tty = await runInProcess(args, { isTTY: true });
    expect(tty.stdout).toContain('\u001b[33mwarning');
    const noColor = await runInProcess(args, { isTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(noColor.stdout).toContain('warning   metric.name.service');
    const pipe = await runInProcess(args, { isTTY: false });
    expect(pipe.stdout).not.toContain('\u001b[');
  });

  it('scrapes a started service on its PROMETHEUS_PORT: @datum-telemetry/metrics exposes its definition right', async () => {
    const run = await runInProcess(
      [
        'validate',
        '--definition',
        fixture('compute-definition.mjs'),
        '--prometheus',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder the CLI substitutes
        'http://127.0.0.1:${PROMETHEUS_PORT}/metrics',
        '--ready-url',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder the CLI substitutes
        'http://127.0.0.1:${PORT}/',
        '--format',
        'json',
        '--quiet',
        '--',
        process.execPath,
        fixture('prometheus-app.mjs'),
      ],
      { env: { PATH: process.env.PATH, OTEL_METRICS_EXPORTER: 'prometheus' } },
    );
    const report = JSON.parse(run.stdout) as {
      findings: ValidationFinding[];
      received: { prometheusFamilies: number; metrics: number };
      checks: { id: string; status: string }[];
    };
    expect(report.received.metrics).toBe(0); // nothing over OTLP: all of it came from the scrape
    expect(report.received.prometheusFamilies).toBeGreaterThanOrEqual(3);
    expect(report.findings.filter((f) => f.signal === 'metrics')).toEqual([]);
    expect(report.checks.find((c) => c.id === 'metrics.declared')!.status).toBe('passed');
    // The module also declares span helpers, and this service makes no span.
    expect(report.findings.map((f) => f.rule)).toContain('span.expected.missing');
    expect(run.code).toBe(1);
  });
});
