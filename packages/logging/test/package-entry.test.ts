import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Runs a script in a child Node process from the package folder, so that the package name resolves
// through its own `exports` map to the built `dist/`: what a user who installed it gets.
function runNode(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, args, {
    cwd: packageDir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
}

describe('the published entry points', () => {
  it('import as ESM by package name', () => {
    const out = runNode([
      '--input-type=module',
      '-e',
      `import { createLogger } from '@datum-telemetry/logging';
       import { createTestLogger } from '@datum-telemetry/logging/testing';
       const t = createTestLogger();
       t.logger.info('hello', 'name', 'vm-1');
       createLogger({ service: 'compute' }).info('to stdout');
       console.log(JSON.stringify(t.assertLogged({ msg: 'hello' })['resource.name']));`,
    ]);
    const [line, result] = out.trim().split('\n');
    expect(JSON.parse(line!)).toMatchObject({ name: 'compute', msg: 'to stdout', level: 30 });
    expect(JSON.parse(result!)).toBe('vm-1');
  });

  it('load with require() on Node >= 22.15', () => {
    const out = runNode([
      '-e',
      `const { LOG_SEVERITY } = require('@datum-telemetry/logging');
       const { parseLogLines } = require('@datum-telemetry/logging/testing');
       console.log(LOG_SEVERITY.warn.severityNumber, parseLogLines('{"msg":"x"}').length);`,
    ]);
    expect(out.trim()).toBe('13 1');
  });

  it('load the logs SDK only when OTLP export is set up', () => {
    const out = runNode([
      '--input-type=module',
      '-e',
      `import { registerHooks } from 'node:module';
       // The OpenTelemetry 3.x packages load as ES modules, which no require cache lists: record
       // every module the loader resolves instead.
       const resolved = [];
       registerHooks({ resolve(specifier, context, next) {
         const result = next(specifier, context);
         resolved.push(result.url);
         return result;
       } });
       const { createLogger, setupLogging } = await import('@datum-telemetry/logging');
       const loaded = () => resolved.some((url) => /sdk-logs|exporter-logs/.test(url));
       createLogger({ stream: null }).info('x');
       setupLogging({ stream: null }).logger.info('y');
       const before = loaded();
       const setup = setupLogging({ stream: null, exporter: 'otlp', shutdownTimeoutMillis: 100,
         otlp: { endpoint: 'http://127.0.0.1:9' } });
       await setup.forceFlush();
       console.log(JSON.stringify([before, loaded()]));
       process.exit(0);`,
    ]);
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([false, true]);
  });

  it('export nothing by accident: every export is named in src/index.ts', async () => {
    const main = Object.keys(await import('../src/index.js')).sort();
    const testing = Object.keys(await import('../src/testing/index.js')).sort();
    expect(main).toEqual([
      'ConfigError',
      'LOG_LEVELS',
      'LOG_SEVERITY',
      'createLogFile',
      'createLogger',
      'logDiagnostics',
      'setupLogging',
    ]);
    expect(testing).toEqual(['createTestLogger', 'parseLogLines']);
  });

  it('publish types of their own: no bunyan or gRPC type reaches the .d.ts files', () => {
    for (const entry of [
      'dist/index.d.ts',
      'dist/types.d.ts',
      'dist/testing/index.d.ts',
      'dist/testing/types.d.ts',
    ]) {
      const text = readFileSync(new URL(`../${entry}`, import.meta.url), 'utf8');
      expect(text).not.toMatch(
        /from ['"](bunyan|@types\/bunyan|@opentelemetry\/exporter-logs-otlp-grpc|@grpc)/,
      );
    }
  });
});
