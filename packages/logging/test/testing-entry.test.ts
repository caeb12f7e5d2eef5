import { describe, expect, it } from 'vitest';
import { createTestLogger, parseLogLines } from '../src/testing/index.js';

describe('createTestLogger', () => {
  it('keeps every line, parsed, with the standard fields', () => {
    const t = createTestLogger();
    t.logger.withResource({ kind: 'VirtualMachine', metadata: { name: 'vm-1' } }).debug('created');
    t.logger.error(new Error('boom'), 'failed', 'name', 'vm-2');
    const records = t.records();
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      name: 'test',
      level: 20,
      msg: 'created',
      severity_text: 'DEBUG',
      'resource.kind': 'VirtualMachine',
    });
    expect(t.lines()[1]).toMatch(/^\{.*"msg":"failed".*\}\n$/);
    expect(t.find((r) => r.level === 50)?.error).toMatchObject({ message: 'boom' });
    expect(t.find((r) => r.msg === 'missing')).toBeUndefined();
  });

  it('forgets everything on clear()', () => {
    const t = createTestLogger();
    t.logger.info('one');
    t.records();
    t.clear();
    t.logger.info('two');
    expect(t.records().map((r) => r.msg)).toEqual(['two']);
    expect(t.lines()).toHaveLength(1);
  });

  it('takes logger options (level, redactKeys, service)', () => {
    const t = createTestLogger({ level: 'warn', redactKeys: ['ssn'], service: 'compute' });
    t.logger.info('hidden');
    t.logger.warn('shown', 'ssn', '123');
    expect(t.records()).toEqual([
      expect.objectContaining({ name: 'compute', msg: 'shown', ssn: '[REDACTED]' }),
    ]);
  });

  it('assertLogged returns the first match: values, level names, RegExps, predicates, nested fields', () => {
    const t = createTestLogger();
    t.logger.info('resource created', 'name', 'vm-1', 'spec', { cpu: 2, disks: ['a'] });
    const found = t.assertLogged({
      level: 'info',
      msg: /created$/,
      'resource.name': 'vm-1',
      spec: { disks: ['a'] },
      time: (value: unknown) => typeof value === 'string',
    });
    expect(found.msg).toBe('resource created');
    expect(() => t.assertNotLogged({ level: 'error' })).not.toThrow();
  });

  it('assertLogged throws an error that lists the records and how each differs', () => {
    const t = createTestLogger();
    t.logger.info('resource created', 'name', 'vm-1');
    t.logger.warn('quota low');
    expect(() => t.assertLogged({ msg: 'resource created', 'resource.name': 'vm-2' })).toThrow(
      [
        'expected a log record matching { "msg": "resource created", "resource.name": "vm-2" }, but none of the 2 records matches:',
        '  1. {"level":30,"resource.name":"vm-1","msg":"resource created","severity_text":"INFO"}',
        '     differs in resource.name: expected "vm-2", got "vm-1"',
        '  2. {"level":40,"msg":"quota low","severity_text":"WARN"}',
        '     differs in msg: expected "resource created", got "quota low"; resource.name: expected "vm-2", got nothing',
      ].join('\n'),
    );
    expect(() => createTestLogger().assertLogged({ msg: 'x' })).toThrow(
      'expected a log record matching { "msg": "x" }, but nothing was logged',
    );
  });

  it('assertNotLogged throws an error showing the record that matched', () => {
    const t = createTestLogger();
    t.logger.error('failed to create resource');
    expect(() => t.assertNotLogged({ level: 'error' })).toThrow(
      'expected no log record matching { "level": "error" }, but found {"level":50,"msg":"failed to create resource","severity_text":"ERROR"}',
    );
  });
});

describe('parseLogLines', () => {
  it('parses JSON lines and skips blank ones', () => {
    expect(parseLogLines('{"msg":"a"}\n\n{"msg":"b"}\n').map((r) => r.msg)).toEqual(['a', 'b']);
  });

  it('names the line that is not a JSON object', () => {
    expect(() => parseLogLines('{"msg":"a"}\nquickstart ok\n')).toThrow(
      'log line 2 is not a JSON object: quickstart ok',
    );
  });
});
