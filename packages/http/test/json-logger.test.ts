// The built-in logger writes the lines @datum-telemetry/logging writes: these tests parse them back.
import { context, DiagLogLevel, diag, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestInfo } from '../src/index.js';
import { ConfigError, createHttpTelemetry } from '../src/index.js';
import type { JsonLoggerOptions } from '../src/internal.js';
import { createJsonLogger } from '../src/internal.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => context.disable());
afterEach(() => vi.unstubAllEnvs());

function capture(options: Omit<JsonLoggerOptions, 'stream'> = {}) {
  const lines: string[] = [];
  const log = createJsonLogger({
    name: 'compute',
    ...options,
    stream: { write: (l) => lines.push(l) },
  });
  return {
    log,
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function inSpan(traceFlags: number, fn: () => void): void {
  const span = trace.wrapSpanContext({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags,
  });
  context.with(trace.setSpan(ROOT_CONTEXT, span), fn);
}

describe('createJsonLogger', () => {
  it('writes one line per record, whatever a message or field holds', () => {
    const { log, lines, records } = capture();
    const hostile = 'one\n{"level":60,"msg":"forged"}\r\u0085\u2028\u2029\u001b[31m';
    log.child({ 'http.route': '/x' }).info({ value: hostile }, hostile);
    log.warn(hostile, 'key', hostile);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
    }
    expect(records()[0]).toMatchObject({ 'http.route': '/x', value: hostile, msg: hostile });
    expect(records()[1]).toMatchObject({ key: hostile, msg: hostile });
  });

  it('redacts fields that name secrets, at any depth, and the keys it is given', () => {
    const { log, records } = capture({ redactKeys: ['x-tenant-key'] });
    log.info(
      { user: 'ada', password: 'hunter2', nested: { token: 'abc', list: [{ apiKey: 'k' }] } },
      'login',
      'x-tenant-key',
      'tk',
    );
    expect(records()[0]).toMatchObject({
      user: 'ada',
      password: '[REDACTED]',
      nested: { token: '[REDACTED]', list: [{ apiKey: '[REDACTED]' }] },
      'x-tenant-key': '[REDACTED]',
    });
  });

  it('writes `log.error(err, msg)` under `error` as { type, message, stack }', () => {
    const { log, records } = capture();
    log.error(new TypeError('bad\nthing', { cause: { password: 'p' } }), 'failed');
    const [record] = records();
    expect(record).not.toHaveProperty('err');
    expect(record).toMatchObject({
      level: 50,
      msg: 'failed',
      error: { type: 'TypeError', message: 'bad\nthing', cause: { password: '[REDACTED]' } },
      severity_text: 'ERROR',
      severity_number: 17,
    });
    expect(typeof (record!.error as { stack: unknown }).stack).toBe('string');
  });

  it('names every line after the service, then in bunyan order', () => {
    const { log, records } = capture();
    log.info('hello');
    expect(Object.keys(records()[0]!)).toEqual([
      'name',
      'hostname',
      'pid',
      'level',
      'msg',
      'time',
      'v',
      'severity_text',
      'severity_number',
    ]);
    expect(records()[0]).toMatchObject({ name: 'compute', pid: process.pid, v: 0 });
  });

  it('is named OTEL_SERVICE_NAME when not told a name', () => {
    vi.stubEnv('OTEL_SERVICE_NAME', 'compute-api');
    const lines: string[] = [];
    createJsonLogger({ stream: { write: (l) => lines.push(l) } }).info('hello');
    expect(JSON.parse(lines[0]!).name).toBe('compute-api');
  });

  it('writes the trace fields of the active span, with its flags as two hex digits', () => {
    const { log, records } = capture();
    for (const flags of [0, 1, 3, 0xff]) inSpan(flags, () => log.info('in a span'));
    log.info('outside');
    expect(records().map((r) => r.trace_flags)).toEqual(['00', '01', '03', 'ff', undefined]);
    expect(records()[2]).toMatchObject({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
    });
  });

  it('keeps fields that JSON cannot write, as @datum-telemetry/logging does', () => {
    const { log, records } = capture();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    log.warn({ cyclic, big: 10n }, 'still here');
    expect(records()[0]).toMatchObject({
      level: 40,
      msg: 'still here',
      cyclic: { self: '[Circular]' },
      big: '10',
    });
  });

  it('writes nothing below its level', () => {
    const info = capture();
    info.log.debug('not written');
    info.log.info('written');
    const silent = capture({ level: 'silent' });
    silent.log.fatal('not written');
    expect(info.records().map((r) => r.msg)).toEqual(['written']);
    expect(silent.lines).toEqual([]);
  });

  it('takes its level from LOG_LEVEL when no level is given, as the logging package does', () => {
    vi.stubEnv('LOG_LEVEL', 'WARN');
    const fromEnv = capture();
    fromEnv.log.info('not written');
    fromEnv.log.warn('written');
    const option = capture({ level: 'debug' });
    option.log.debug('the option wins');
    expect(fromEnv.records().map((r) => r.msg)).toEqual(['written']);
    expect(option.records().map((r) => r.msg)).toEqual(['the option wins']);
  });

  it('reports an invalid LOG_LEVEL and writes from info', () => {
    const warnings: unknown[] = [];
    diag.setLogger(
      {
        warn: (...args: unknown[]) => warnings.push(args.join(' ')),
        error: () => {},
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    try {
      vi.stubEnv('LOG_LEVEL', 'loud');
      const log = capture();
      log.log.debug('not written');
      log.log.info('written');
      expect(log.records().map((r) => r.msg)).toEqual(['written']);
      expect(String(warnings[0])).toContain('LOG_LEVEL');
    } finally {
      diag.disable();
    }
  });

  it('never throws into the app: a failing stream is reported to diag once', () => {
    const errors: unknown[] = [];
    diag.setLogger(
      {
        error: (message) => errors.push(message),
        warn: () => {},
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      { suppressOverrideMessage: true },
    );
    const log = createJsonLogger({
      name: 'compute',
      stream: {
        write: () => {
          throw new Error('EPIPE');
        },
      },
    });
    expect(() => {
      log.info('one');
      log.info('two');
    }).not.toThrow();
    diag.disable();
    expect(errors).toEqual(['@datum-telemetry/http: could not write a log line']);
  });

  it.each([
    [
      'a stream as the options',
      { write: () => true },
      /^options: got a stream; pass it as \{ stream \}/,
    ],
    [
      'a stream without write()',
      { stream: {} },
      /^createJsonLogger\.stream: .*expected a writable stream/,
    ],
    [
      'an unknown level',
      { level: 'loud' },
      /^createJsonLogger\.level: got "loud"; expected one of/,
    ],
    ['an empty name', { name: '' }, /^createJsonLogger\.name: /],
    ['an empty redact key', { redactKeys: [''] }, /^createJsonLogger\.redactKeys/],
    ['a zero maxStringLength', { maxStringLength: 0 }, /^createJsonLogger\.maxStringLength: got 0/],
    [
      'a misspelt option',
      { levle: 'debug' },
      /^createJsonLogger\.levle: unknown option; did you mean "level"\?/,
    ],
  ])('throws a ConfigError for %s, naming the option', (_what, options, message) => {
    expect(() => createJsonLogger(options as JsonLoggerOptions)).toThrow(ConfigError);
    expect(() => createJsonLogger(options as JsonLoggerOptions)).toThrow(message);
  });
});

describe('the default logger of createHttpTelemetry', () => {
  const request: RequestInfo = {
    method: 'GET',
    path: '/x',
    query: 'password=p',
    headers: {},
    scheme: 'http',
    serverAddress: undefined,
    serverPort: undefined,
    clientAddress: undefined,
    httpVersion: '1.1',
  };

  it('writes to stdout, named after `service`, with the failed request`s error as an object', () => {
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const rec = createHttpTelemetry({ service: 'compute', metrics: false }).start(request)!;
      rec.log.info({ token: 'abc' }, 'inside');
      rec.recordError(new RangeError('out of range'));
      rec.end({ statusCode: 500 });
    } finally {
      stdout.mockRestore();
    }
    const records = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => [r.name, r.msg])).toEqual([
      ['compute', 'inside'],
      ['compute', 'request failed'],
    ]);
    expect(records[0]!.token).toBe('[REDACTED]');
    expect(records[1]).toMatchObject({
      'url.query': 'password=REDACTED',
      error: { type: 'RangeError', message: 'out of range' },
    });
  });
});
