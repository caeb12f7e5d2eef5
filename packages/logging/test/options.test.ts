import { describe, expect, it } from 'vitest';
import type { LoggerOptions } from '../src/index.js';
import { ConfigError, createLogger } from '../src/index.js';
import { capture, memoryStream, only } from './helpers.js';

describe('logger options', () => {
  it('names the service from the option, else OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES', () => {
    const named = (options: LoggerOptions) => {
      const out = memoryStream();
      createLogger({ ...options, stream: out }).info('x');
      return only(out).name;
    };
    expect(named({ service: 'compute', env: { OTEL_SERVICE_NAME: 'other' } })).toBe('compute');
    expect(named({ env: { OTEL_SERVICE_NAME: 'network' } })).toBe('network');
    expect(named({ env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=dns' } })).toBe('dns');
    expect(named({ env: {} })).toBe('unknown_service:node');
  });

  it('writes the `fields` option on every line', () => {
    const { log, out } = capture({ fields: { component: 'scheduler', name: 'vm-pool' } });
    log.info('one');
    log.child({ operation: 'x' }).info('two');
    for (const line of out.lines()) {
      expect(line).toMatchObject({ component: 'scheduler', 'resource.name': 'vm-pool' });
    }
    expect(out.lines()).toHaveLength(2);
  });

  it('writes lines to any writable stream, and none with stream: null', () => {
    const { log, out } = capture();
    log.info('to memory');
    expect(only(out).msg).toBe('to memory');
    const silent = createLogger({ env: {}, stream: null });
    expect(() => silent.info('nowhere')).not.toThrow();
  });

  it('writes one readable line per record with pretty: true', () => {
    const out = memoryStream();
    const log = createLogger({ service: 'compute', pretty: true, stream: out, env: {} });
    log.child({ operation: 'create' }).warn('quota low', 'name', 'vm-1', 'cpu', 2);
    expect(out.text()).toMatch(
      /^\d\d:\d\d:\d\d\.\d\d\dZ WARN {2}compute: quota low operation="create" resource\.name="vm-1" cpu=2\n$/,
    );
  });

  it.each([
    [{ level: 'loud' }, /^level: /],
    [{ stream: 'stdout' }, /^stream: got "stdout"; expected a writable stream/],
    [{ stream: {} }, /^stream: /],
    [{ pretty: 'yes' }, /^pretty: got "yes"; expected true or false$/],
    [
      { redactKeys: 'password' },
      /^redactKeys: got "password"; expected an array of non-empty strings$/,
    ],
    [{ redactKeys: [''] }, /^redactKeys\[0\]: got ""; expected a non-empty string$/],
    [{ maxStringLength: 0 }, /^maxStringLength: got 0; expected a positive integer$/],
    [{ maxStringLength: 1.5 }, /^maxStringLength: /],
    [{ fields: 'x' }, /^fields: got "x"; expected an object of fields$/],
    // Issue 14, defect 6: misspelt options were ignored.
    [{ levle: 'debug' }, /^levle: unknown option; did you mean "level"\?$/],
    [{ redact: ['x'] }, /^redact: unknown option; did you mean "redactKeys"\?$/],
    [{ service: 42 }, /service/],
  ])('throws a ConfigError naming the option for %j', (options, message) => {
    const attempt = () => createLogger({ env: {}, ...(options as LoggerOptions) });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});
