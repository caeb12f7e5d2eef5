import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../src/index.js';
import { buildLogger } from '../src/logger.js';
import type { MemoryStream } from './helpers.js';
import { memoryStream } from './helpers.js';

// A logger whose only output is JSON lines writes each line from a prefix made once per logger
// and the call's own fields; any other set-up builds bunyan's whole record and serialises it.
// These tests hold the two to the same text, byte for byte.

const manager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  manager.enable();
  context.setGlobalContextManager(manager);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-26T12:34:56.789Z'));
});
afterAll(() => {
  vi.useRealTimers();
  context.disable();
});

interface Pair {
  fast: Logger;
  slow: Logger;
  fastOut: MemoryStream;
  slowOut: MemoryStream;
}

function pair(options: { fields?: Record<string, unknown>; redactKeys?: string[] } = {}): Pair {
  const fastOut = memoryStream();
  const slowOut = memoryStream();
  const common = { service: 'compute', level: 'trace' as const, env: {}, ...options };
  const fast = buildLogger({ ...common, stream: fastOut }).logger;
  const built = buildLogger({ ...common, stream: slowOut });
  // A second output (as `setupLogging` adds for OTLP) sends every record down the record path.
  built.sink.outputs.push({ write() {} });
  return { fast, slow: built.logger, fastOut, slowOut };
}

const key = fc.oneof(
  fc.constantFrom(
    'name',
    'hostname',
    'pid',
    'level',
    'msg',
    'time',
    'v',
    'namespace',
    'resource.name',
    'operation',
    'password',
    'authorization',
    'error',
    '__proto__',
    'constructor',
    'trace_id',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('line\u2028break', 'nel\u0085', 'quote " and \\ and \n', ''),
);
const value = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date({ noInvalidDate: true }),
  fc.dictionary(key, text, { maxKeys: 3 }),
  fc.array(fc.oneof(text, fc.integer()), { maxLength: 3 }),
);
const pairs = fc.array(fc.oneof(key, value), { maxLength: 7 });
const levels = fc.constantFrom('trace', 'debug', 'info', 'warn', 'error', 'fatal') as fc.Arbitrary<
  'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'
>;
const call = fc.oneof(
  fc.tuple(text, pairs).map(([msg, rest]) => [msg, ...rest]),
  fc.tuple(fc.dictionary(key, value, { maxKeys: 5 }), text, pairs).map(([f, m, r]) => [f, m, ...r]),
  fc.tuple(text, pairs).map(([m, r]) => [new TypeError(m), 'failed', ...r]),
  fc.tuple(value, pairs).map(([v, r]) => [v, ...r]),
);

function same(p: Pair, level: 'trace' | 'info', args: unknown[]): void {
  (p.fast[level] as (...a: unknown[]) => void)(...args);
  (p.slow[level] as (...a: unknown[]) => void)(...args);
}

describe('the JSON line fast path', () => {
  it('writes the same text as the record path, for any call, on root and child loggers', () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { maxKeys: 3 }),
        levels,
        fc.array(call, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (childFields, level, calls, inSpan) => {
          const root = pair({ redactKeys: ['x-secret'] });
          const fastChild = root.fast.child(childFields);
          const slowChild = root.slow.child(childFields);
          const run = () => {
            for (const args of calls) {
              (root.fast[level] as (...a: unknown[]) => void)(...args);
              (root.slow[level] as (...a: unknown[]) => void)(...args);
              (fastChild[level] as (...a: unknown[]) => void)(...args);
              (slowChild[level] as (...a: unknown[]) => void)(...args);
            }
          };
          if (inSpan) {
            const span = trace.wrapSpanContext({
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: 'b7ad6b7169203331',
              traceFlags: 1,
            });
            context.with(trace.setSpan(ROOT_CONTEXT, span), run);
          } else {
            run();
          }
          expect(root.fastOut.text()).toBe(root.slowOut.text());
          expect(root.fastOut.text()).not.toBe('');
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('takes the record path for a call field named like a logger field, with the same text', () => {
    const p = pair({ fields: { operation: 'create', zone: 'eu' } });
    same(p, 'info', [{ operation: 'get' }, 'overridden']);
    same(p, 'info', ['pairs', 'zone', 'us', 'pid', 7]);
    expect(p.fastOut.text()).toBe(p.slowOut.text());
    const [first, second] = p.fastOut.lines();
    expect(Object.keys(first!).slice(0, 6)).toEqual([
      'name',
      'hostname',
      'pid',
      'operation',
      'zone',
      'level',
    ]);
    expect(first!.operation).toBe('get');
    expect(second).toMatchObject({ zone: 'us', 'field.pid': 7 });
  });

  it('writes each line with the time of its own call (the time text is remembered per ms)', () => {
    const p = pair();
    const times = [
      '2026-11-26T12:34:56.789Z',
      '2026-11-26T12:34:56.789Z',
      '2026-11-26T12:34:56.790Z',
      '2031-01-01T00:00:00.000Z',
      '2026-11-26T12:34:56.789Z',
    ];
    for (const time of times) {
      vi.setSystemTime(new Date(time));
      same(p, 'info', [{ attempt: 1, zone: 'eu' }, 'tick']);
    }
    vi.setSystemTime(new Date('2026-11-26T12:34:56.789Z'));
    expect(p.fastOut.text()).toBe(p.slowOut.text());
    expect(p.fastOut.lines().map((line) => line.time)).toEqual(times);
  });

  it('passes a message with printf placeholders through bunyan unchanged', () => {
    const p = pair();
    const msg = '100%% sure: %s %d %j %o %';
    same(p, 'info', [msg, 'k', 'v']);
    same(p, 'info', [{ k: 'v' }, msg]);
    expect(p.fastOut.text()).toBe(p.slowOut.text());
    expect(p.slowOut.lines().map((line) => line.msg)).toEqual([msg, msg]);
  });

  it('writes nothing but JSON lines that parse, each with the fields in bunyan order', () => {
    const p = pair({ fields: { service_zone: 'eu' } });
    same(p, 'trace', ['hello', 'namespace', 'default', 'attempt', 2]);
    const [line] = p.fastOut.lines();
    expect(Object.keys(line!)).toEqual([
      'name',
      'hostname',
      'pid',
      'service_zone',
      'level',
      'resource.namespace',
      'attempt',
      'msg',
      'time',
      'v',
      'severity_text',
      'severity_number',
    ]);
    expect(line!.time).toBe('2026-11-26T12:34:56.789Z');
  });
});
