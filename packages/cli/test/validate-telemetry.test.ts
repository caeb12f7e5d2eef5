import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import type { Logger, Meter, Tracer } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import type { CapturedLine, CollectedTelemetry, ValidationFinding } from '../src/index.js';
import { CHECKS, CliError, runChecks, validateTelemetry } from '../src/index.js';

interface Sdk {
  tracer(scope?: string): Tracer;
  meter(scope?: string): Meter;
  logger(scope?: string): Logger;
}

/** Records with the real OpenTelemetry SDK, exports OTLP/protobuf to a real receiver, returns what it got. */
async function exported(
  record: (sdk: Sdk) => void,
  options: { service?: string; cardinality?: number } = {},
): Promise<CollectedTelemetry> {
  const sink = await startOtlpSink();
  const resource = resourceFromAttributes({ 'service.name': options.service ?? 'compute' });
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [
      new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: sink.urls.traces }) }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: sink.urls.metrics }),
        exportIntervalMillis: 60_000,
        cardinalityLimits: { default: options.cardinality ?? 2000 },
      }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: sink.urls.logs }) }),
    ],
  });
  try {
    record({
      tracer: (scope = 'compute') => tracerProvider.getTracer(scope),
      meter: (scope = 'compute') => meterProvider.getMeter(scope),
      logger: (scope = 'compute') => loggerProvider.getLogger(scope),
    });
    await Promise.all([
      tracerProvider.shutdown(),
      meterProvider.shutdown(),
      loggerProvider.shutdown(),
    ]);
    await sink.waitFor(() => sink.pendingRequests() === 0);
    return { spans: sink.spans(), metrics: sink.metrics(), logs: sink.logs() };
  } finally {
    await sink.close();
  }
}

const find = (findings: readonly ValidationFinding[], rule: string, name?: string) =>
  findings.filter((f) => f.rule === rule && (name === undefined || f.name === name));

describe('validateTelemetry on spans', () => {
  it('accepts {METHOD} {route} on SERVER and CLIENT spans only, and is milder with instrumentation libraries', async () => {
    const collected = await exported(({ tracer }) => {
      tracer().startSpan('GET /users/:id', { kind: SpanKind.SERVER }).end();
      tracer().startSpan('GET', { kind: SpanKind.CLIENT }).end();
      tracer().startSpan('GET /internal').end();
      tracer('@opentelemetry/instrumentation-pg')
        .startSpan('pg.query:SELECT', { kind: SpanKind.CLIENT })
        .end();
      tracer().startSpan('CreateRouter').end();
    });
    const findings = validateTelemetry(collected, { kinds: ['VirtualMachine'] });
    expect(findings.filter((f) => f.name === 'GET /users/:id' || f.name === 'GET')).toEqual([]);
    expect(find(findings, 'span.name.http-format', 'GET /internal')[0]?.level).toBe('violation');
    expect(find(findings, 'span.name.pascal-case', 'pg.query:SELECT')[0]?.level).toBe('warning');
    expect(find(findings, 'span.name.unknown-kind', 'CreateRouter')[0]?.level).toBe('warning');
  });

  it('judges span status by the HTTP status on SERVER spans only', async () => {
    const collected = await exported(({ tracer }) => {
      const span = (name: string, kind: SpanKind, status: number, error: boolean) => {
        const s = tracer().startSpan(name, {
          kind,
          attributes: { 'http.response.status_code': status },
        });
        if (error) s.setStatus({ code: SpanStatusCode.ERROR });
        s.end();
      };
      span('GetVirtualMachine', SpanKind.SERVER, 404, false);
      span('DeleteVirtualMachine', SpanKind.SERVER, 503, true);
      span('ListVirtualMachine', SpanKind.SERVER, 409, true);
      span('CreateVirtualMachine', SpanKind.SERVER, 500, false);
      // A CLIENT span that got a 404 may well be an error for its caller.
      span('GET', SpanKind.CLIENT, 404, true);
    });
    const findings = validateTelemetry(collected);
    expect(
      findings.filter((f) => f.check === 'traces.status').map((f) => `${f.rule} ${f.name}`),
    ).toEqual([
      'span.status.4xx-error ListVirtualMachine',
      'span.status.5xx-unset CreateVirtualMachine',
    ]);
  });

  it('reports attribute keys that break the naming rule, once per key with a count', async () => {
    const collected = await exported(({ tracer }) => {
      for (let i = 0; i < 3; i++)
        tracer()
          .startSpan('GetVirtualMachine', { attributes: { vmId: `vm-${i}`, 'resource.name': 'x' } })
          .end();
    });
    const [f] = find(validateTelemetry(collected), 'attribute.key.format', 'vmId');
    expect(f).toMatchObject({
      level: 'violation',
      signal: 'traces',
      check: 'traces.attributes',
      count: 3,
      suggestion: 'vm_id',
    });
  });

  it('reports declared spans that were not seen, and names a near miss', async () => {
    const collected = await exported(({ tracer }) =>
      tracer().startSpan('Createvirtualmachine').end(),
    );
    const findings = validateTelemetry(
      collected,
      { operations: [{ operation: 'Create', kind: 'VirtualMachine' }] },
      { expectSpans: ['GetVirtualMachine'] },
    );
    const missing = find(findings, 'span.expected.missing');
    expect(missing.map((f) => f.name)).toEqual(['CreateVirtualMachine', 'GetVirtualMachine']);
    expect(missing[0]!.message).toContain('(there is `Createvirtualmachine`)');
  });
});

describe('validateTelemetry on metrics', () => {
  it('holds the service to its name from service.name, made a metric segment, and others to warnings', async () => {
    const collected = await exported(
      ({ meter }) => {
        meter().createCounter('compute_api.vm.requests').add(1);
        meter().createCounter('compute.vm.requests').add(1);
        meter('@opentelemetry/instrumentation-runtime-node')
          .createGauge('nodejs.eventloop.delay.p50', { unit: 's' })
          .record(0.01);
      },
      { service: 'compute-api' },
    );
    const result = runChecks(collected);
    expect(result.service).toBe('compute_api');
    expect(
      find(result.findings, 'metric.name.counter-suffix', 'compute_api.vm.requests')[0]?.level,
    ).toBe('violation');
    expect(
      find(result.findings, 'metric.name.counter-suffix', 'compute.vm.requests')[0]?.level,
    ).toBe('warning');
    expect(find(result.findings, 'metric.name.service', 'compute.vm.requests')[0]?.level).toBe(
      'warning',
    );
    expect(
      result.findings.filter((f) => f.name === 'nodejs.eventloop.delay.p50').map((f) => f.level),
    ).toEqual(['info']);
  });

  it('reports one name exported with two kinds or units', async () => {
    const collected = await exported(({ meter }) => {
      meter('a').createUpDownCounter('compute.vm.active', { unit: '{vm}' }).add(1);
      meter('b').createGauge('compute.vm.active').record(2);
    });
    const [f] = find(validateTelemetry(collected), 'metric.identity.conflict', 'compute.vm.active');
    expect(f?.message).toContain('updowncounter with unit `{vm}` and as gauge with unit none');
  });

  it('reports a metric past the series budget, and one the SDK folded into its overflow series', async () => {
    const collected = await exported(
      ({ meter }) => {
        const c = meter().createCounter('compute.vm.lookups.total');
        for (let i = 0; i < 6; i++) c.add(1, { 'vm.name': `vm-${i}`, zone: 'a' });
      },
      { cardinality: 4 },
    );
    const findings = validateTelemetry(collected, undefined, { maxSeries: 2 });
    expect(find(findings, 'metric.cardinality', 'compute.vm.lookups.total')[0]?.message).toContain(
      'has 4 series (attribute sets), over the budget of 2; `vm.name` alone has 3 distinct values',
    );
    expect(
      find(findings, 'metric.cardinality.overflow', 'compute.vm.lookups.total')[0]?.level,
    ).toBe('warning');
    expect(
      find(validateTelemetry(collected, undefined, { maxSeries: 4 }), 'metric.cardinality'),
    ).toEqual([]);
  });

  it('rejects a bad maxSeries and a malformed definition with the field named', () => {
    expect(() => validateTelemetry({}, undefined, { maxSeries: 0 })).toThrow(
      'maxSeries: got 0; expected a positive integer',
    );
    expect(() =>
      validateTelemetry({}, { metrics: [{ name: 'x.y.z', kind: 'timer' }] } as never),
    ).toThrow(CliError);
    expect(() =>
      validateTelemetry({}, { metrics: [{ name: 'x.y.z', kind: 'timer' }] } as never),
    ).toThrow('definition.metrics[0].kind: got "timer"');
  });
});

describe('validateTelemetry on logs and secrets', () => {
  const window = {
    index: 1,
    method: 'GET',
    path: '/vms',
    status: 200,
    startMs: Date.parse('2030-01-01T00:00:10.000Z'),
    endMs: Date.parse('2030-01-01T00:00:11.000Z'),
  };
  const line = (fields: Record<string, unknown>): CapturedLine => ({
    stream: 'stdout',
    fields,
    text: JSON.stringify(fields),
  });
  const inside = '2030-01-01T00:00:10.500Z';
  const outside = '2030-01-01T00:00:20.000Z';
  const ids = {
    trace_id: '5b8efff798038103d269b633813fc60c',
    span_id: 'eee19b7ec3c1b174',
    trace_flags: '01',
  };

  it('wants trace ids on lines written inside a request, and only there', () => {
    const findings = validateTelemetry({
      requests: [window],
      lines: [
        line({ name: 'svc', level: 30, msg: 'in request', time: inside }),
        line({ name: 'svc', level: 30, msg: 'in request with ids', time: inside, ...ids }),
        line({
          name: 'svc',
          level: 30,
          msg: 'bad ids',
          time: inside,
          trace_id: 'xyz',
          span_id: '1',
        }),
        line({ level: 30, msg: 'pino style', time: Date.parse(inside) }),
        line({ name: 'svc', level: 30, msg: 'listening', time: outside }),
      ],
    });
    const missing = find(findings, 'log.trace-context.missing');
    expect(missing.map((f) => f.name).sort()).toEqual(['bad ids', 'in request', 'pino style']);
    expect(missing.find((f) => f.name === 'bad ids')!.message).toContain(
      'carries a malformed trace_id',
    );
  });

  it('wants a span context on OTLP log records emitted inside a SERVER span', async () => {
    const collected = await exported(({ tracer, logger }) => {
      const span = tracer().startSpan('GetVirtualMachine', { kind: SpanKind.SERVER });
      logger().emit({ body: 'with context', context: trace.setSpan(ROOT_CONTEXT, span) });
      logger().emit({ body: 'without context' });
      span.end();
    });
    const missing = find(validateTelemetry(collected), 'log.trace-context.missing');
    expect(missing.map((f) => f.name)).toEqual(['without context']);
  });

  it('never shows a canary or a credential in a finding, even one found for another reason', () => {
    const findings = validateTelemetry(
      {
        requests: [window],
        lines: [
          line({ msg: 'sending canary-0badc0de upstream', time: inside }),
          line({ msg: 'called with Bearer abcdefgh12345678', time: inside }),
        ],
      },
      undefined,
      { canaries: ['canary-0badc0de'] },
    );
    const missing = find(findings, 'log.trace-context.missing');
    expect(missing.map((f) => f.name).sort()).toEqual([
      'called with Bearer [REDACTED]',
      'sending can… upstream',
    ]);
    const shown = JSON.stringify(findings);
    expect(shown).not.toContain('canary-0badc0de');
    expect(shown).not.toContain('abcdefgh12345678');
  });

  it('checks field names, but not the fields bunyan itself writes', () => {
    const findings = validateTelemetry({
      lines: [
        line({
          name: 'svc',
          hostname: 'h',
          pid: 1,
          v: 0,
          level: 30,
          msg: 'created',
          time: outside,
          kind: 'VirtualMachine',
          'resource.name': 'vm-1',
        }),
      ],
    });
    const logs = findings.filter((f) => f.signal === 'logs');
    expect(logs.map((f) => `${f.rule} ${f.name} ${f.level}`)).toEqual([
      'log.field.standard-name kind warning',
    ]);
  });

  it('finds secrets in log fields by key, header, query and value, and passes redacted ones', () => {
    const findings = validateTelemetry(
      {
        lines: [
          line({
            msg: 'ok',
            time: outside,
            password: '[REDACTED]',
            'url.query': 'a=REDACTED',
            headers: { authorization: 'REDACTED' },
          }),
          line({ msg: 'login', time: outside, password: 'hunter2' }),
          line({ msg: 'request', time: outside, req: { headers: { cookie: 'sid=abc123' } } }),
          line({ msg: 'search', time: outside, url: '/search?q=shoes&token=abcdef' }),
          line({
            msg: 'note',
            time: outside,
            note: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.x',
          }),
          { stream: 'stderr', text: 'debug: sent canary-0badc0de to upstream' },
        ],
      },
      undefined,
      { canaries: ['canary-0badc0de'] },
    );
    const secrets = findings.filter((f) => f.check === 'secrets').map((f) => `${f.rule} ${f.name}`);
    expect(secrets.sort()).toEqual([
      'log.field.sensitive password',
      'secret.canary can…',
      'secret.credential-value note',
      'secret.header req.headers.cookie',
      'secret.query url?q',
      'secret.query url?token',
    ]);
    expect(
      findings.every((f) => !f.message.includes('hunter2') && !f.message.includes('abc123')),
    ).toBe(true);
    expect(find(findings, 'log.format.not-json', 'stderr')[0]?.level).toBe('info');
  });
});

describe('runChecks', () => {
  it('gives every check an outcome: failed on a violation, skipped with a reason when it had nothing to look at', () => {
    const result = runChecks({
      lines: [{ stream: 'stdout', fields: { msg: 'x', password: 'hunter2' }, text: '' }],
    });
    expect(result.checks.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    const status = Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
    expect(status.secrets).toBe('failed');
    expect(status['service.export']).toBe('failed'); // nothing received over OTLP or Prometheus
    expect(status['logs.fields']).toBe('passed');
    expect(status['traces.names']).toBe('skipped');
    expect(result.checks.find((c) => c.id === 'metrics.declared')!.skipped).toBe(
      'no metric is declared (--definition)',
    );
  });
});
