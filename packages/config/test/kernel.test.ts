import { execFileSync } from 'node:child_process';
import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settleWithin } from '../src/deadline-index.js';
import { ConfigError, resolveDisabled } from '../src/index.js';
import { optionalPeer, readPackageManifest } from '../src/manifest-index.js';

const ownerModule = new URL('./fixtures/peer-owner/lib/otlp/module.js', import.meta.url);
const labels = { component: '@datum-telemetry/example', what: 'forceFlush' };

let reported: string[] = [];
beforeEach(() => {
  reported = [];
  const record =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      reported.push(
        [level, message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(
          ' ',
        ),
      );
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
});
afterEach(() => diag.disable());

describe('settleWithin: the one deadline of flush and shutdown', () => {
  it('resolves true when the work finishes in time, and reports nothing', async () => {
    await expect(settleWithin(() => Promise.resolve('done'), 1000, labels)).resolves.toBe(true);
    await expect(settleWithin(() => 'sync value', 1000, labels)).resolves.toBe(true);
    expect(reported).toEqual([]);
  });

  it('gives up at the deadline with one diag.warn, and never rejects', async () => {
    const started = performance.now();
    await expect(settleWithin(() => new Promise(() => {}), 50, labels)).resolves.toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(reported).toEqual([
      'warn @datum-telemetry/example: forceFlush did not finish within 50 ms; giving up',
    ]);
  });

  it('resolves false on a rejection or a synchronous throw, with one diag.error each', async () => {
    await expect(
      settleWithin(() => Promise.reject(new Error('refused')), 1000, labels),
    ).resolves.toBe(false);
    await expect(
      settleWithin(
        () => {
          throw new Error('thrown');
        },
        1000,
        labels,
      ),
    ).resolves.toBe(false);
    expect(reported).toEqual([
      'error @datum-telemetry/example: forceFlush failed refused',
      'error @datum-telemetry/example: forceFlush failed thrown',
    ]);
  });

  it('says nothing more when the work settles after the deadline', async () => {
    let finish: (value?: unknown) => void = () => {};
    const late = new Promise((_resolve, reject) => {
      finish = () => reject(new Error('late'));
    });
    await expect(settleWithin(() => late, 20, labels)).resolves.toBe(false);
    finish();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reported).toHaveLength(1);
  });

  it('does not keep a process alive that has nothing else to do (the timer is unref’d)', () => {
    const script = `
      import { settleWithin } from '@datum-telemetry/config/deadline';
      const started = Date.now();
      process.on('exit', () => console.log(Date.now() - started));
      settleWithin(() => new Promise(() => {}), 60_000, { component: 'x', what: 'y' });`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(Number(out.trim())).toBeLessThan(10_000);
  });
});

describe('readPackageManifest: the package a module belongs to', () => {
  it('is the nearest package.json with a name above the module', () => {
    expect(readPackageManifest(ownerModule)).toEqual({
      name: '@datum-telemetry/fixture-peer-owner',
      version: '1.2.3',
      peerDependencies: {
        '@datum-telemetry/absent-exporter': '0.301.0',
        '@datum-telemetry/absent-ranged': '^2.0.0',
      },
    });
    expect(readPackageManifest(ownerModule.href).name).toBe('@datum-telemetry/fixture-peer-owner');
    // This very file belongs to @datum-telemetry/config.
    expect(readPackageManifest(import.meta.url).name).toBe('@datum-telemetry/config');
  });

  it('never throws: no manifest, or a URL that is not a file, gives undefined', () => {
    const none = { name: undefined, version: undefined, peerDependencies: {} };
    expect(readPackageManifest('file:///no-such-dir/deeper/module.js')).toEqual(none);
    expect(readPackageManifest('https://example.com/module.js')).toEqual(none);
  });
});

describe('optionalPeer: one check, one loader, one message', () => {
  const exporter = optionalPeer(ownerModule, '@datum-telemetry/absent-exporter');

  it('names the package and the exact version of our peerDependencies', () => {
    expect(exporter.missingMessage('the OTLP protocol "grpc"')).toBe(
      'the OTLP protocol "grpc" needs @datum-telemetry/absent-exporter, an optional peer dependency of @datum-telemetry/fixture-peer-owner that is not installed: run `npm install @datum-telemetry/absent-exporter@0.301.0`',
    );
    // A range is quoted for the shell; a package that is not a declared peer has no version.
    expect(
      optionalPeer(ownerModule, '@datum-telemetry/absent-ranged').missingMessage('x'),
    ).toContain('run `npm install "@datum-telemetry/absent-ranged@^2.0.0"`');
    expect(optionalPeer(ownerModule, 'undeclared').missingMessage('x')).toContain(
      'run `npm install undeclared`',
    );
  });

  it('assertInstalled throws a ConfigError naming the option when it cannot be resolved', () => {
    let thrown: unknown;
    try {
      exporter.assertInstalled('OTEL_EXPORTER_OTLP_PROTOCOL', 'the OTLP protocol "grpc"');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).option).toBe('OTEL_EXPORTER_OTLP_PROTOCOL');
    expect((thrown as Error).message).toBe(
      `OTEL_EXPORTER_OTLP_PROTOCOL: ${exporter.missingMessage('the OTLP protocol "grpc"')}`,
    );
    // Resolved from the module's own place: config itself has @opentelemetry/api installed.
    expect(() =>
      optionalPeer(import.meta.url, '@opentelemetry/api').assertInstalled('x', 'y'),
    ).not.toThrow();
  });

  it('load returns what the import gives, or rejects with the message and the cause', async () => {
    await expect(exporter.load(() => Promise.resolve({ ok: 1 }), 'x')).resolves.toEqual({ ok: 1 });
    const cause = new Error('Cannot find package');
    const failed = exporter.load(() => Promise.reject(cause), 'the OTLP protocol "grpc"');
    await expect(failed).rejects.toThrow(exporter.missingMessage('the OTLP protocol "grpc"'));
    await expect(failed).rejects.toHaveProperty('cause', cause);
  });
});

describe('resolveDisabled: the disabled option every setup*() takes', () => {
  it('is the option, else OTEL_SDK_DISABLED', () => {
    expect(resolveDisabled(undefined, {})).toBe(false);
    expect(resolveDisabled(undefined, { OTEL_SDK_DISABLED: ' TRUE ' })).toBe(true);
    expect(resolveDisabled(false, { OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(resolveDisabled(true, {})).toBe(true);
    expect(() => resolveDisabled('yes', {})).toThrow('disabled: got "yes"; expected true or false');
  });
});
