import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogLineOptions, LogLineRecord } from '../src/log-line/index.js';
import { CONTEXT_AWARE_LOGGER, errorLogField, LogLineWriter } from '../src/log-line/index.js';

const writer = new LogLineWriter({ maxStringLength: 100 });

describe('LogLineWriter.recordLine', () => {
  it('falls back to a plain copy when JSON.stringify throws on a record', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const record = { level: 30, msg: 'm', time: new Date(0), v: 0, big: 5n, cyclic };
    const line = writer.recordLine(record, undefined);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({
      msg: 'm',
      big: '5',
      cyclic: { a: 1, self: '[Circular]' },
      time: '1970-01-01T00:00:00.000Z',
      severity_text: 'INFO',
      severity_number: 9,
    });
  });

  it('appends the trace fields of a span context', () => {
    const record = { level: 50, msg: 'm', time: new Date(0) };
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    };
    expect(JSON.parse(writer.recordLine(record, spanContext))).toEqual({
      level: 50,
      msg: 'm',
      time: '1970-01-01T00:00:00.000Z',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      trace_flags: '01',
      severity_text: 'ERROR',
      severity_number: 17,
    });
  });
});

const SPAN = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
const TIME = new Date('2026-11-26T12:34:56.789Z');

function parsed(line: string): Record<string, unknown> {
  expect(line.endsWith('\n')).toBe(true);
  expect(line.slice(0, -1)).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('LogLineWriter', () => {
  it('writes the trace flags as they are, as two hex digits', () => {
    const head = writer.head('compute');
    const flags = [0, 1, 2, 3, 0x7f, 0xff].map(
      (traceFlags) =>
        parsed(writer.line(head, 30, {}, 'm', TIME, { ...SPAN, traceFlags })).trace_flags,
    );
    expect(flags).toEqual(['00', '01', '02', '03', '7f', 'ff']);
  });

  it('reads the three call shapes: secrets redacted, the error under `error`, seed keys renamed', () => {
    const head = writer.child(writer.head('compute'), { operation: 'Create', token: 't' });
    const read = (...args: unknown[]) => {
      const call: Record<string, unknown> = {};
      const msg = writer.readCall(args, call);
      return parsed(writer.line(head, 50, call, msg, TIME, undefined));
    };
    expect(read({ password: 'p', nested: { apiKey: 'k' }, name: 'vm-1' }, 'login')).toMatchObject({
      name: 'compute',
      operation: 'Create',
      token: '[REDACTED]',
      password: '[REDACTED]',
      nested: { apiKey: '[REDACTED]' },
      'resource.name': 'vm-1',
      msg: 'login',
    });
    const failed = read(new RangeError('too big'), 'failed', 'err', 'x', 'level', 60);
    expect(failed).not.toHaveProperty('err');
    expect(failed).toMatchObject({
      level: 50,
      error: { type: 'RangeError', message: 'too big' },
      'field.err': 'x',
      'field.level': 60,
      msg: 'failed',
    });
    expect(read('created', 'namespace', 'default')).toMatchObject({
      'resource.namespace': 'default',
      msg: 'created',
    });
  });

  it('cuts strings longer than maxStringLength, messages included', () => {
    const short = new LogLineWriter({ maxStringLength: 4 });
    const call: Record<string, unknown> = {};
    const msg = short.readCall(['message', 'k', 'value'], call);
    expect(parsed(short.line(short.head('c'), 30, call, msg, TIME, undefined))).toMatchObject({
      msg: 'mess…[truncated 3 chars]',
      k: 'valu…[truncated 1 chars]',
    });
  });

  it.each([
    [{ redactKeys: 'password' }, /`redactKeys`/],
    [{ redactKeys: [''] }, /`redactKeys`/],
    [{ maxStringLength: 0 }, /`maxStringLength`/],
    [{ maxStringLength: 2.5 }, /`maxStringLength`/],
  ])('throws for %j, naming the option', (options, message) => {
    expect(() => new LogLineWriter(options as LogLineOptions)).toThrow(message);
  });

  it('is told apart by the registered CONTEXT_AWARE_LOGGER symbol', () => {
    expect(CONTEXT_AWARE_LOGGER).toBe(Symbol.for('@datum-telemetry/logger.context-aware'));
  });
});

describe('errorLogField', () => {
  it('gives an error the shape log.error(err) writes, secrets in its cause redacted', () => {
    const error = new TypeError('refused', { cause: { headers: { authorization: 'Bearer x' } } });
    const field = errorLogField(error);
    expect(field).toMatchObject({
      type: 'TypeError',
      message: 'refused',
      cause: { headers: { authorization: '[REDACTED]' } },
    });
    expect(field.stack).toBe(error.stack);
    const call: Record<string, unknown> = {};
    writer.readCall([error], call);
    expect(Object.keys(field)).toEqual(Object.keys(call.error as object));
  });

  it('gives anything else thrown a type and a message', () => {
    expect(errorLogField('boom')).toEqual({ type: '_OTHER', message: 'boom' });
    expect(errorLogField(undefined)).toEqual({ type: '_OTHER', message: 'undefined' });
    expect(errorLogField({ code: 'E1', message: 'plain' })).toMatchObject({
      type: '_OTHER',
      message: 'plain',
      code: 'E1',
    });
  });
});

// `line` writes from the head's prefix and the call's fields when it can; these tests hold it to
// the text of the whole record, built the way bunyan builds it, written by `recordLine`.
const key = fc.oneof(
  fc.constantFrom('name', 'hostname', 'pid', 'level', 'msg', 'time', 'v', 'err', 'password'),
  fc.constantFrom('trace_id', '__proto__', 'constructor', '0', '12', 'resource.name', 'zone'),
  fc.string({ maxLength: 8 }),
);
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('line\u2028break', 'nel\u0085', 'quote " \\ \n', '{"level":60}\n'),
);
const value = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
  fc.dictionary(key, text, { maxKeys: 3 }),
  fc.array(text, { maxLength: 3 }),
);
const args = fc.oneof(
  fc.tuple(text, fc.array(fc.oneof(key, value), { maxLength: 6 })).map(([m, r]) => [m, ...r]),
  fc.tuple(fc.dictionary(key, value, { maxKeys: 4 }), text).map(([f, m]) => [f, m]),
  fc.tuple(text).map(([m]) => [new Error(m), m]),
);

describe('the line fast path', () => {
  it('writes the same text as the whole record, for any call, head and span context', () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { maxKeys: 3 }),
        fc.constantFrom(10, 20, 30, 40, 50, 60),
        args,
        fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
        (childFields, level, callArgs, traceFlags) => {
          const head = writer.child(writer.head('compute'), childFields);
          const call: Record<string, unknown> = {};
          const msg = writer.readCall(callArgs, call);
          const spanContext = traceFlags === undefined ? undefined : { ...SPAN, traceFlags };
          const record: Record<string, unknown> = {};
          for (const k of Object.keys(head.fields)) record[k] = head.fields[k];
          record.level = level;
          for (const k of Object.keys(call)) record[k] = call[k];
          Object.assign(record, { msg, time: TIME, v: 0 });
          const line = writer.line(head, level, call, msg, TIME, spanContext);
          expect(line).toBe(writer.recordLine(record as LogLineRecord, spanContext));
          parsed(line);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('LogLineWriter.callLine', () => {
  const key = fc.oneof(
    fc.constantFrom('name', 'pid', 'level', 'msg', 'password', '__proto__', 'operation', '0'),
    fc.string({ maxLength: 10 }),
  );
  const value = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.constantFrom('a\u2028b', 'nel\u0085', 'quote " \\ \n', ''),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(undefined),
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  );
  const message = fc.oneof(fc.string({ maxLength: 120 }), fc.constant(undefined), fc.integer());

  it('gives the text of readCall + line, for any fields object and message', () => {
    const head = writer.child(writer.head('compute'), { zone: 'eu' });
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { maxKeys: 6 }),
        message,
        fc.boolean(),
        (fields, msg, inSpan) => {
          const args = msg === undefined ? [fields] : [fields, msg];
          const spanContext = inSpan ? { ...SPAN, traceFlags: 1 } : undefined;
          const call: Record<string, unknown> = {};
          const text = writer.readCall(args, call);
          const expected = writer.line(head, 30, call, text, TIME, spanContext);
          expect(writer.callLine(head, 30, args, TIME, spanContext)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes a later time after an earlier one (the time text is remembered per ms only)', () => {
    const head = writer.head('compute');
    const times = [TIME, new Date(TIME.getTime() + 1), new Date(0), TIME].map(
      (time) => parsed(writer.callLine(head, 30, [{ a: 1 }, 'm'], time, undefined)).time,
    );
    expect(times).toEqual([
      '2026-11-26T12:34:56.789Z',
      '2026-11-26T12:34:56.790Z',
      '1970-01-01T00:00:00.000Z',
      '2026-11-26T12:34:56.789Z',
    ]);
  });
});
