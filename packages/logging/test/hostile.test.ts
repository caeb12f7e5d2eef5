import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';
import { capture, memoryStream, only } from './helpers.js';

describe('hostile values: the logger never throws, and each value gets a stated text', () => {
  it('a circular object: the repeated reference is [Circular]', () => {
    const { log, out } = capture();
    const vm: Record<string, unknown> = { name: 'vm-1' };
    vm.self = vm;
    vm.list = [vm];
    log.info('circular', 'vm', vm);
    expect(only(out).vm).toEqual({ name: 'vm-1', self: '[Circular]', list: ['[Circular]'] });
  });

  it('the same object twice (not a cycle) is written twice', () => {
    const { log, out } = capture();
    const shared = { a: 1 };
    log.info('shared', 'pair', { left: shared, right: shared });
    expect(only(out).pair).toEqual({ left: { a: 1 }, right: { a: 1 } });
  });

  it('a getter that throws: [Throws: its message], the other fields are kept', () => {
    const { log, out } = capture();
    const hostile = {
      ok: 1,
      get broken(): never {
        throw new Error('getter exploded');
      },
    };
    log.info('getter', 'value', hostile);
    log.info(hostile, 'as fields');
    const [nested, top] = out.lines();
    expect(nested!.value).toEqual({ ok: 1, broken: '[Throws: getter exploded]' });
    expect(top).toMatchObject({ ok: 1, broken: '[Throws: getter exploded]' });
  });

  it('a getter that throws only the second time it is read is read once', () => {
    const { log, out } = capture();
    let reads = 0;
    const sneaky = {
      get value() {
        reads += 1;
        if (reads > 1) throw new Error('second read');
        return 'first';
      },
    };
    log.info('sneaky', 'obj', sneaky);
    expect(only(out).obj).toEqual({ value: 'first' });
  });

  it('a proxy whose traps throw: [Unserializable]', () => {
    const { log, out } = capture();
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    log.info('proxy', 'value', proxy);
    expect(only(out).value).toBe('[Unserializable]');
  });

  it('BigInt: a decimal string (JSON has no BigInt; a number would lose digits)', () => {
    const { log, out } = capture();
    log.info('big', 'id', 2n ** 70n, 'nested', { n: -5n });
    expect(only(out)).toMatchObject({ id: '1180591620717411303424', nested: { n: '-5' } });
  });

  it('symbols and functions: their description', () => {
    const { log, out } = capture();
    log.info(
      'odd',
      'sym',
      Symbol('state'),
      'fn',
      function handler() {},
      'arrow',
      () => 1,
    );
    expect(only(out)).toMatchObject({
      sym: 'Symbol(state)',
      fn: '[Function: handler]',
      arrow: '[Function: anonymous]',
    });
  });

  it('dates, buffers, maps, sets and NaN', () => {
    const { log, out } = capture();
    log.info(
      'values',
      'date',
      new Date('2024-01-02T03:04:05.000Z'),
      'buffer',
      Buffer.from('secret bytes'),
      'set',
      new Set([1, 2]),
      'map',
      new Map([[1, 'one']]),
      'nan',
      Number.NaN,
      'undef',
      undefined,
    );
    const line = only(out);
    expect(line).toMatchObject({
      date: '2024-01-02T03:04:05.000Z',
      buffer: '[Buffer 12 bytes]',
      set: [1, 2],
      map: { 1: 'one' },
      nan: null,
    });
    expect(line).not.toHaveProperty('undef');
  });

  it('a toJSON that throws: [Unserializable]', () => {
    const { log, out } = capture();
    log.info('x', 'value', {
      toJSON() {
        throw new Error('no');
      },
    });
    expect(only(out).value).toBe('[Unserializable]');
  });

  it('a huge string: cut at maxStringLength (default 8192) with the count of what was cut', () => {
    const { log, out } = capture();
    log.info('x'.repeat(10_000), 'body', 'y'.repeat(20_000));
    const line = only(out);
    expect(line.msg).toBe(`${'x'.repeat(8192)}…[truncated 1808 chars]`);
    expect(line.body).toBe(`${'y'.repeat(8192)}…[truncated 11808 chars]`);
  });

  it('a huge key: cut at 256 characters', () => {
    const { log, out } = capture();
    log.info('x', 'k'.repeat(1000), 1);
    expect(Object.keys(only(out))).toContain(`${'k'.repeat(256)}…`);
  });

  it('a huge object: entries past 5000 are [Truncated]', () => {
    const { log, out } = capture();
    const wide = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, i]));
    log.info('wide', 'value', wide);
    const value = only(out).value as Record<string, unknown>;
    expect(Object.keys(value)).toHaveLength(5000);
    expect(value['…']).toBe('[Truncated]');
  });

  it('an own __proto__ key (from JSON.parse) stays a field and changes no prototype', () => {
    const { log, out } = capture();
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    log.info('parsed', 'body', parsed);
    log.info(parsed, 'as fields');
    const [nested, top] = out.lines();
    expect(nested!.body).toEqual(JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'));
    expect(top!['field.__proto__']).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a failing stream never reaches the app', () => {
  const reported: string[] = [];
  afterEach(() => {
    diag.disable();
    reported.length = 0;
  });

  it('a stream whose write throws: the call returns, diag hears about it once', () => {
    diag.setLogger(
      {
        error: (message) => reported.push(message),
        warn: () => {},
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.ERROR,
    );
    const log = createLogger({
      env: {},
      stream: {
        write() {
          throw new Error('EPIPE');
        },
      },
    });
    expect(() => log.info('lost')).not.toThrow();
    expect(() => log.info('lost again')).not.toThrow();
    expect(reported.filter((m) => m.includes('could not write a log line'))).toHaveLength(1);
  });

  it("a stream that emits 'error' does not crash the process", async () => {
    const { PassThrough } = await import('node:stream');
    const stream = new PassThrough();
    createLogger({ env: {}, stream }).info('one');
    // With no listener this would be an uncaught exception.
    stream.emit('error', new Error('EPIPE'));
    expect(stream.listenerCount('error')).toBe(1);
  });

  it('a fields object that is itself a hostile proxy: the line is still written', () => {
    const out = memoryStream();
    const log = createLogger({ service: 'compute', env: {}, stream: out });
    const proxy = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('no prototype');
        },
      },
    );
    expect(() => log.info(proxy, 'proxy', 'k', 'v')).not.toThrow();
    expect(only(out)).toMatchObject({ msg: 'proxy', k: 'v' });
  });
});
