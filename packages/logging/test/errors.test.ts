import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { capture, only } from './helpers.js';

type ErrorField = {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  cause?: unknown;
  errors?: unknown[];
};

function errorOf(log: ReturnType<typeof capture>, ...args: unknown[]): ErrorField {
  (log.log.error as (...a: unknown[]) => void)(...args);
  return only(log.out).error as ErrorField;
}

class QuotaError extends Error {}

describe('error serialisation', () => {
  it('writes type, message, stack and code', () => {
    const error = Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' });
    const field = errorOf(capture(), error, 'failed');
    expect(field).toEqual({
      type: 'Error',
      message: 'connect refused',
      stack: error.stack,
      code: 'ECONNREFUSED',
    });
  });

  it('names a subclass by its own name or its class', () => {
    const named = Object.assign(new Error('x'), { name: 'NotFoundError' });
    expect(errorOf(capture(), named).type).toBe('NotFoundError');
    expect(errorOf(capture(), new QuotaError('x')).type).toBe('QuotaError');
  });

  it('follows the cause chain', () => {
    const root = new TypeError('socket hang up');
    const error = new Error('create failed', {
      cause: new Error('network-api failed', { cause: root }),
    });
    const field = errorOf(capture(), error, 'failed');
    expect(field.cause).toMatchObject({
      type: 'Error',
      message: 'network-api failed',
      cause: { type: 'TypeError', message: 'socket hang up', stack: root.stack },
    });
  });

  it('bounds a cause chain: a loop is [Circular], a very long chain ends in [Truncated]', () => {
    const looped = new Error('a');
    looped.cause = new Error('b', { cause: looped });
    expect(errorOf(capture(), looped).cause).toMatchObject({ message: 'b', cause: '[Circular]' });

    let long = new Error('depth 0');
    for (let i = 1; i <= 50; i++) long = new Error(`depth ${i}`, { cause: long });
    const text = JSON.stringify(errorOf(capture(), long));
    expect(text).toContain('[Truncated]');
    expect(text).not.toContain('depth 0"');
  });

  it('writes a cause that is not an error as a value', () => {
    const field = errorOf(capture(), new Error('x', { cause: { status: 503, token: 't' } }));
    expect(field.cause).toEqual({ status: 503, token: '[REDACTED]' });
  });

  it('writes the errors of an AggregateError (at most 10)', () => {
    const many = Array.from({ length: 12 }, (_, i) => new Error(`e${i}`));
    const field = errorOf(capture(), new AggregateError(many, 'all failed'));
    expect(field.errors).toHaveLength(10);
    expect(field.errors?.[0]).toMatchObject({ type: 'Error', message: 'e0' });
  });

  it('recognises an error from another realm', () => {
    const foreign = runInNewContext('new RangeError("from a vm context")') as Error;
    expect(foreign instanceof Error).toBe(false);
    expect(errorOf(capture(), foreign, 'vm')).toMatchObject({
      type: 'RangeError',
      message: 'from a vm context',
    });
  });

  it('survives an error whose properties throw', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no message for you');
      },
    });
    const field = errorOf(capture(), hostile, 'hostile');
    expect(field.type).toBe('Error');
    expect(field.message).toBe('');
  });

  it('serialises errors nested in fields', () => {
    const { log, out } = capture();
    log.info('nested', 'result', { failures: [new Error('one')] });
    const line = only(out);
    expect(line.result).toMatchObject({ failures: [{ type: 'Error', message: 'one' }] });
  });

  it('cuts a huge message and stack to maxStringLength', () => {
    const logger = capture({ maxStringLength: 100 });
    const field = errorOf(logger, new Error('m'.repeat(1000)));
    expect(field.message).toBe(`${'m'.repeat(100)}…[truncated 900 chars]`);
    expect(field.stack!.length).toBeLessThan(150);
  });
});
