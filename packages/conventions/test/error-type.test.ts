import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  checkMetricName,
  droppedItemsMetricName,
  errorType,
  exceptionAttributes,
  OTHER_ERROR_TYPE,
} from '../src/index.js';

class NotFoundError extends Error {}
class ConflictError extends Error {
  override name = 'ConflictError';
}
class Problem {}

describe('errorType: the OpenTelemetry error.type of a thrown value', () => {
  it.each<[string, unknown, string]>([
    ['an Error', new Error('x'), 'Error'],
    ['a built-in subclass', new TypeError('x'), 'TypeError'],
    ['a subclass that leaves name alone: its class', new NotFoundError('x'), 'NotFoundError'],
    ['a subclass that sets its name', new ConflictError('x'), 'ConflictError'],
    ['an Error given a name', Object.assign(new Error('x'), { name: 'AbortError' }), 'AbortError'],
    ['an Error of another realm', runInNewContext('new RangeError("x")'), 'RangeError'],
    ['an instance of another class', new Problem(), 'Problem'],
    ['a string', 'oops', OTHER_ERROR_TYPE],
    ['a number', 42, '_OTHER'],
    ['undefined', undefined, '_OTHER'],
    ['null', null, '_OTHER'],
    ['a plain object', { message: 'x' }, '_OTHER'],
    ['an object without prototype', Object.create(null), '_OTHER'],
  ])('%s', (_what, thrown, expected) => {
    expect(errorType(thrown)).toBe(expected);
  });

  it('never throws, whatever the value does', () => {
    const hostile = new Proxy(new Error('x'), {
      get() {
        throw new Error('no');
      },
      getPrototypeOf() {
        throw new Error('no');
      },
    });
    expect(() => errorType(hostile)).not.toThrow();
    const named = Object.defineProperty(new Error('x'), 'name', {
      get() {
        throw new Error('no');
      },
    });
    expect(errorType(named)).toBe('Error');
  });

  it('stays short: a name built from data cannot make one series per value', () => {
    const error = Object.assign(new Error('x'), { name: `Failed ${'x'.repeat(500)}` });
    expect(errorType(error)).toHaveLength(64);
  });
});

describe('droppedItemsMetricName', () => {
  it('names the self-metrics after the service segment, and the names pass the rules', () => {
    expect(droppedItemsMetricName('compute', 'spans')).toBe(
      'compute.telemetry.spans.dropped.total',
    );
    expect(droppedItemsMetricName('compute-api', 'log_records')).toBe(
      'compute_api.telemetry.log_records.dropped.total',
    );
    expect(droppedItemsMetricName('unknown_service:node', 'attributes')).toBe(
      'unknown_service.telemetry.attributes.dropped.total',
    );
    for (const items of ['spans', 'log_records', 'attributes'] as const) {
      expect(
        checkMetricName(droppedItemsMetricName('compute', items), {
          kind: 'counter',
          service: 'compute',
        }),
      ).toEqual([]);
    }
  });
});

describe('exceptionAttributes', () => {
  it.each<[string, unknown, Record<string, unknown>]>([
    ['an Error', new Error('boom'), { 'exception.type': 'Error', 'exception.message': 'boom' }],
    [
      'a subclass that keeps name',
      new NotFoundError('gone'),
      { 'exception.type': 'NotFoundError', 'exception.message': 'gone' },
    ],
    ['a TypeError', new TypeError('bad'), { 'exception.type': 'TypeError' }],
    ['a thrown string', 'kaboom', { 'exception.message': 'kaboom' }],
    ['a thrown number', 42, { 'exception.message': '42' }],
    ['a plain object', { reason: 'x' }, { 'exception.message': '[object Object]' }],
  ])('%s', (_, value, expected) => {
    const attributes = exceptionAttributes(value);
    expect(attributes).toMatchObject(expected);
    expect(attributes['exception.type']).toBe(
      typeof value === 'object' && value instanceof Error ? errorType(value) : undefined,
    );
    if (value instanceof Error) expect(attributes['exception.stacktrace']).toBe(value.stack);
  });

  it('never throws on a hostile object', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(() => exceptionAttributes(hostile)).not.toThrow();
    expect(exceptionAttributes(hostile)['exception.message']).toBeTypeOf('string');
  });
});
