import { describe, expect, it } from 'vitest';
import { capture, only } from './helpers.js';

const R = '[REDACTED]';

describe('redaction of secrets', () => {
  it('redacts request headers that carry credentials, and keeps the rest', () => {
    const { log, out } = capture();
    const headers = {
      authorization: 'Bearer abc',
      'proxy-authorization': 'Basic xyz',
      cookie: 'session=1',
      'set-cookie': ['a=1', 'b=2'],
      'x-api-key': 'k',
      accept: 'application/json',
      'user-agent': 'curl/8',
    };
    log.info('request', 'headers', headers);
    expect(only(out).headers).toEqual({
      authorization: R,
      'proxy-authorization': R,
      cookie: R,
      'set-cookie': R,
      'x-api-key': R,
      accept: 'application/json',
      'user-agent': 'curl/8',
    });
  });

  it.each([
    'password',
    'passwd',
    'secret',
    'token',
    'api_key',
    'apikey',
    'Authorization',
    'PASSWORD',
    'Set-Cookie',
    'X-API-Key',
    'accessToken',
    'client_secret',
    'db.password',
  ])('redacts %s at the top level, in both shapes, without regard to case', (key) => {
    const { log, out } = capture();
    log.info('pairs', key, 'hunter2');
    log.info({ [key]: 'hunter2' }, 'object');
    for (const line of out.lines()) expect(line[key]).toBe(R);
    expect(out.text()).not.toContain('hunter2');
  });

  it('redacts nested objects and arrays, at any depth up to the bound', () => {
    const { log, out } = capture();
    const spec = {
      image: 'ubuntu',
      users: [{ name: 'root', password: 'p1' }],
      cloudInit: { a: { b: { c: { secret: 's1', keep: 1 } } } },
    };
    log.info('spec', 'spec', spec);
    expect(only(out).spec).toEqual({
      image: 'ubuntu',
      users: [{ name: 'root', password: R }],
      cloudInit: { a: { b: { c: { secret: R, keep: 1 } } } },
    });
  });

  it('redacts whole values under a sensitive key, objects included', () => {
    const { log, out } = capture();
    log.info('x', 'credentials', { user: 'u', pass: 'p' });
    expect(only(out).credentials).toBe(R);
  });

  it('redacts Map entries under sensitive keys', () => {
    const { log, out } = capture();
    log.info(
      'map',
      'headers',
      new Map([
        ['Authorization', 'Bearer t'],
        ['accept', '*/*'],
      ]),
    );
    expect(only(out).headers).toEqual({ Authorization: R, accept: '*/*' });
  });

  it('redacts extra keys from options, without regard to case, at any depth', () => {
    const { log, out } = capture({ redactKeys: ['ssn', 'X-Tenant-Secret-Id'] });
    log.info('custom', 'SSN', '123', 'nested', { ssn: '456', 'x-tenant-secret-id': 'a', ok: 1 });
    const line = only(out);
    expect(line.SSN).toBe(R);
    expect(line.nested).toEqual({ ssn: R, 'x-tenant-secret-id': R, ok: 1 });
  });

  it('redacts child logger fields once, for every line', () => {
    const { log, out } = capture();
    const child = log.child({ apiKey: 'k', tenant: 't' });
    child.info('one');
    child.info('two');
    for (const line of out.lines()) expect(line).toMatchObject({ apiKey: R, tenant: 't' });
  });

  it('does not change the objects it redacts', () => {
    const { log } = capture();
    const headers = { authorization: 'Bearer abc' };
    log.info('x', 'headers', headers);
    expect(headers.authorization).toBe('Bearer abc');
  });

  it('writes objects nested deeper than 8 levels as [Truncated], so no secret hides below', () => {
    const { log, out } = capture();
    let deep: Record<string, unknown> = { password: 'deep-secret' };
    for (let i = 0; i < 12; i++) deep = { next: deep };
    log.info('deep', 'value', deep);
    expect(out.text()).not.toContain('deep-secret');
    expect(out.text()).toContain('[Truncated]');
  });
});

describe('a message that is not a string', () => {
  it('is redacted like a field before it becomes text', () => {
    const { log, out } = capture();
    log.info({ operation: 'login' }, { user: 'u', password: 'hunter2' } as unknown as string);
    const line = only(out);
    expect(line.msg).toBe("{ user: 'u', password: '[REDACTED]' }");
    expect(out.text()).not.toContain('hunter2');
  });
});
