import { describe, expect, it } from 'vitest';
import { createLogger, LOG_LEVELS } from '../src/index.js';
import { captureDiag } from './diag-capture.js';
import { capture, memoryStream, only } from './helpers.js';

describe('the seed call shape: message, then keys and values', () => {
  it('writes each pair as a field, with `name` and `namespace` under their standard names', () => {
    const { log, out } = capture();
    log.info('resource created', 'name', 'vm-1', 'namespace', 'default', 'spec', { cpu: 2 });
    const line = only(out);
    expect(line.msg).toBe('resource created');
    expect(line['resource.name']).toBe('vm-1');
    expect(line['resource.namespace']).toBe('default');
    expect(line.spec).toEqual({ cpu: 2 });
    // bunyan's own `name` (the service) is never overwritten by the resource's name.
    expect(line.name).toBe('compute');
    expect(line).not.toHaveProperty('namespace');
  });

  it('keeps a seed key as field.<key> when the same call sets the standard key too', () => {
    const { log, out } = capture();
    log.info('renamed', 'resource.name', 'vm-new', 'name', 'vm-old');
    const line = only(out);
    expect(line['resource.name']).toBe('vm-new');
    expect(line['field.name']).toBe('vm-old');
  });

  it('keeps a dangling value (odd count) under !BADKEY instead of throwing', () => {
    const { log, out } = capture();
    expect(() => log.info('odd', 'name', 'vm-1', 'orphan')).not.toThrow();
    const line = only(out);
    expect(line['resource.name']).toBe('vm-1');
    expect(line['!BADKEY']).toBe('orphan');
  });

  it('turns a key that is not a string into its text', () => {
    const { log, out } = capture();
    log.info('keys', 42, 'answer', Symbol('tag'), 'symbol', null, 'nothing');
    const line = only(out);
    expect(line['42']).toBe('answer');
    expect(line['Symbol(tag)']).toBe('symbol');
    expect(line.null).toBe('nothing');
  });

  it('never reads printf placeholders: the message is written as given', () => {
    const { log, out } = capture();
    log.info('100%s done %d %j', 'k', 'v');
    const line = only(out);
    expect(line.msg).toBe('100%s done %d %j');
    expect(line.k).toBe('v');
  });
});

describe('the error shape: error, message, keys and values', () => {
  it('serialises the error under `error` and keeps the pairs', () => {
    const { log, out } = capture();
    log.error(new TypeError('bad spec'), 'failed to create resource', 'name', 'vm-1');
    const line = only(out);
    expect(line.msg).toBe('failed to create resource');
    expect(line['resource.name']).toBe('vm-1');
    expect(line.error).toMatchObject({ type: 'TypeError', message: 'bad spec' });
    expect((line.error as { stack: string }).stack).toContain('TypeError: bad spec');
  });

  it("uses the error's message when no message is given", () => {
    const { log, out } = capture();
    log.warn(new Error('disk almost full'));
    expect(only(out).msg).toBe('disk almost full');
  });

  it('writes an `err` pair after an error as field.err, never over the error', () => {
    const { log, out } = capture();
    log.error(new Error('first'), 'two errors', 'err', 'second');
    const line = only(out);
    expect(line.error).toMatchObject({ message: 'first' });
    expect(line['field.err']).toBe('second');
  });
});

describe('the object shape: fields, then a message', () => {
  it('writes the fields', () => {
    const { log, out } = capture();
    log.info({ 'resource.name': 'x', operation: 'create', attempt: 2, ok: true }, 'msg');
    expect(only(out)).toMatchObject({
      msg: 'msg',
      'resource.name': 'x',
      operation: 'create',
      attempt: 2,
      ok: true,
    });
  });

  it('takes keys and values after the message too', () => {
    const { log, out } = capture();
    log.info({ operation: 'create' }, 'msg', 'name', 'vm-1');
    expect(only(out)).toMatchObject({ operation: 'create', 'resource.name': 'vm-1' });
  });

  it('maps bunyan-style `err` to `error`, serialised', () => {
    const { log, out } = capture();
    log.error({ err: new RangeError('too many') }, 'bunyan style');
    expect(only(out).error).toMatchObject({ type: 'RangeError', message: 'too many' });
  });

  it('renames keys the record itself uses, so a field cannot forge level, time or msg', () => {
    const { log, out } = capture();
    log.info(
      { level: 60, time: 'yesterday', msg: 'forged', v: 9, hostname: 'h', pid: -1, trace_id: 'x' },
      'real message',
    );
    const line = only(out);
    expect(line.level).toBe(30);
    expect(line.msg).toBe('real message');
    expect(line.v).toBe(0);
    expect(Date.parse(line.time as string)).not.toBeNaN();
    expect(line).toMatchObject({
      'field.level': 60,
      'field.time': 'yesterday',
      'field.msg': 'forged',
      'field.v': 9,
      'field.hostname': 'h',
      'field.pid': -1,
      'field.trace_id': 'x',
    });
    expect(line).not.toHaveProperty('trace_id');
  });

  it('never changes the object it was given', () => {
    const { log } = capture();
    const fields = { name: 'vm-1', headers: { authorization: 'Bearer t' } };
    const before = structuredClone(fields);
    log.info(fields, 'msg');
    expect(fields).toEqual(before);
  });
});

describe('other first arguments', () => {
  it.each([
    ['a number', 42, '42'],
    ['an array', [1, 'a'], "[ 1, 'a' ]"],
    ['null', null, 'null'],
    ['undefined', undefined, ''],
  ])('writes %s as the message', (_what, first, msg) => {
    const { log, out } = capture();
    log.info(first as unknown as string);
    expect(only(out).msg).toBe(msg);
  });

  it('writes an empty message for log.info() with no arguments', () => {
    const { log, out } = capture();
    (log.info as () => void)();
    expect(only(out).msg).toBe('');
  });
});

describe('levels', () => {
  it('has six methods writing bunyan level numbers 10..60', () => {
    const { log, out } = capture();
    for (const level of LOG_LEVELS) log[level](`at ${level}`);
    expect(out.lines().map((line) => [line.msg, line.level])).toEqual([
      ['at trace', 10],
      ['at debug', 20],
      ['at info', 30],
      ['at warn', 40],
      ['at error', 50],
      ['at fatal', 60],
    ]);
  });

  it('writes nothing below the level, and isLevelEnabled says so', () => {
    const { log, out } = capture({ level: 'warn' });
    log.info('hidden');
    log.debug('hidden');
    log.warn('shown');
    expect(out.lines().map((line) => line.msg)).toEqual(['shown']);
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('warn')).toBe(true);
    expect(log.isLevelEnabled('fatal')).toBe(true);
  });

  it('writes nothing at all when silent', () => {
    const { log, out } = capture({ level: 'silent' });
    for (const level of LOG_LEVELS) log[level]('nothing');
    expect(out.text()).toBe('');
    expect(log.isLevelEnabled('fatal')).toBe(false);
  });

  it('defaults to info, or LOG_LEVEL (any case) when it is set', () => {
    const byDefault = capture({ level: undefined });
    expect(byDefault.log.isLevelEnabled('debug')).toBe(false);
    expect(byDefault.log.isLevelEnabled('info')).toBe(true);
    const fromEnv = capture({ level: undefined, env: { LOG_LEVEL: 'DEBUG' } });
    expect(fromEnv.log.isLevelEnabled('debug')).toBe(true);
    const optionWins = capture({ level: 'error', env: { LOG_LEVEL: 'debug' } });
    expect(optionWins.log.isLevelEnabled('warn')).toBe(false);
  });

  it('throws a ConfigError naming the option for an unknown level', () => {
    const stream = memoryStream();
    expect(() => createLogger({ level: 'verbose' as 'info', stream })).toThrow(
      /^level: got "verbose"; expected one of trace, debug, info, warn, error, fatal, silent$/,
    );
  });

  it('a bad LOG_LEVEL is reported through diag and info used (issue 14, defect 7)', () => {
    const reported = captureDiag();
    try {
      const stream = memoryStream();
      const log = createLogger({ env: { LOG_LEVEL: 'loud' }, stream });
      log.debug('hidden');
      log.info('shown');
      expect(stream.lines().map((line) => line.msg)).toEqual(['shown']);
      expect(reported.messages).toEqual([
        'warn @datum-telemetry: LOG_LEVEL: got "loud"; expected one of trace, debug, info, warn, error, fatal, silent; ignored, using info ',
      ]);
    } finally {
      reported.stop();
    }
  });
});
