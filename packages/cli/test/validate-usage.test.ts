import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ValidationFinding } from '../src/index.js';
import { example, fixture, runBin, runInProcess } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'datum-cli-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('bad usage exits 2 with a message naming the problem', () => {
  it.each([
    [['validate', '--nope'], "Unknown option '--nope'"],
    [['validate', '--format', 'xml'], '--format: got "xml"; expected text, json or junit'],
    [
      ['validate', '--max-series', '0'],
      '--max-series: got "0"; expected an integer from 1 to 10000000',
    ],
    [['validate', '--max-series', '1e3'], '--max-series: got "1e3"'],
    [
      ['validate', '--ready-timeout', 'soon'],
      '--ready-timeout: got "soon"; expected a number of seconds above 0',
    ],
    [['validate', '--fail-on', 'info'], '--fail-on: got "info"; expected violation or warning'],
    [
      ['validate', '--otlp-port', '70000'],
      '--otlp-port: got "70000"; expected an integer from 0 to 65535',
    ],
    [
      ['validate', '--otlp-protocol', 'grpc'],
      '--otlp-protocol: got "grpc"; expected http/protobuf or http/json',
    ],
    [
      ['validate', '--prometheus', 'localhost:9464'],
      '--prometheus: got "localhost:9464"; expected an http:// URL',
    ],
    [
      ['validate', '--service', 'Compute-API'],
      '--service: [metric.service.invalid] `Compute-API` cannot be a service name',
    ],
    [['validate', 'node', 'server.js'], 'put the command to start after --'],
    [['validate', '--'], '-- must be followed by the command that starts the service'],
    [
      ['validate', '--definition', 'missing.json'],
      '--definition missing.json: cannot read it (ENOENT)',
    ],
    [['validate', '--definition', 'src/index.ts'], 'TypeScript cannot be loaded directly'],
    [
      ['validate', '--scenario', 'missing.json'],
      '--scenario missing.json: cannot read it (ENOENT)',
    ],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [
      ['validate', '--format', 'JSON'],
      '--format: got "JSON"; expected text, json or junit; did you mean json?',
    ],
    [['validate', '--quiet', '--verbose'], '--quiet and --verbose cannot be used together'],
  ])('%j', async (args, message) => {
    const run = await runInProcess(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('prints the main help on stderr with no command (exit 2), and on stdout with --help (exit 0)', async () => {
    const none = await runInProcess([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: datum-telemetry <command>');
    const help = await runInProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('validate');
    const validateHelp = await runInProcess(['validate', '--help']);
    expect(validateHelp.code).toBe(0);
    // Every flag the parser knows is in the help.
    for (const flag of [
      '--definition',
      '--scenario',
      '--prometheus',
      '--expect-span',
      '--service',
      '--max-series',
      '--format',
      '--output',
      '--fail-on',
      '--ready-url',
      '--ready-timeout',
      '--stop-timeout',
      '--settle-timeout',
      '--duration',
      '--otlp-port',
      '--otlp-protocol',
      '--quiet',
      '--verbose',
    ]) {
      expect(validateHelp.stdout).toContain(flag);
    }
  });
});

// Without a command after --, validate starts no service and gives ${PORT} no value: a URL that
// needs it could never be reached, so the run stops before it starts the receiver or sends anything.
describe('a URL with a placeholder that has no value exits 2 at once', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholders, as users write them
  const [PORT, PROMETHEUS_PORT, APP_PORT] = ['${PORT}', '${PROMETHEUS_PORT}', '${APP_PORT}'];
  afterEach(() => vi.restoreAllMocks());
  const requests = [{ method: 'GET', path: '/healthz' }];

  it.each([
    [
      'a scenario with no baseUrl, and no command',
      { readyPath: '/healthz', requests },
      [],
      `scenario-no-base.json has no "baseUrl", and the default, http://127.0.0.1:${PORT}, uses ${PORT}, which has a value only when validate starts the service, and no command follows --. Either set "baseUrl" in scenario-no-base.json to the address of the running service (such as "http://127.0.0.1:8080"), or pass the command that starts the service after --, as in: datum-telemetry validate ... -- node dist/server.js`,
    ],
    [
      `a scenario whose baseUrl uses ${PORT}, and no command`,
      { baseUrl: `http://localhost:${PORT}`, requests },
      [],
      `the "baseUrl" of scenario-port.json (http://localhost:${PORT}) uses ${PORT}, which has a value only when validate starts the service`,
    ],
    [
      `--ready-url with ${PORT}, and no command`,
      { baseUrl: 'http://127.0.0.1:1', requests },
      ['--ready-url', `http://127.0.0.1:${PORT}/healthz`],
      `--ready-url http://127.0.0.1:${PORT}/healthz uses ${PORT}, which has a value only when validate starts the service`,
    ],
    [
      `--prometheus with ${PROMETHEUS_PORT}, and no command`,
      { baseUrl: 'http://127.0.0.1:1', requests },
      ['--prometheus', `http://127.0.0.1:${PROMETHEUS_PORT}/metrics`],
      `--prometheus http://127.0.0.1:${PROMETHEUS_PORT}/metrics uses ${PROMETHEUS_PORT}, which has a value only when`,
    ],
  ])('%s', async (_, scenario, flags, message) => {
    const name = /(scenario-[\w-]+\.json)/.exec(message)?.[1] ?? 'scenario-other.json';
    file(name, JSON.stringify(scenario));
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const run = await runInProcess(['validate', '--otlp-port', '0', '--scenario', name, ...flags], {
      cwd: dir,
    });
    expect(run.stderr).toContain(`datum-telemetry validate: ${message}`);
    expect(run.code).toBe(2);
    // Nothing was started and nothing was asked: no receiver, no readiness poll, no request.
    expect(run.stderr).not.toContain('receiver on');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a placeholder validate never fills, even with a command: the service is not started', async () => {
    const marker = join(dir, 'started');
    file(
      'scenario-unknown.json',
      JSON.stringify({ baseUrl: `http://127.0.0.1:${APP_PORT}`, requests }),
    );
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const run = await runInProcess(
      [
        'validate',
        '--scenario',
        'scenario-unknown.json',
        '--',
        process.execPath,
        '-e',
        `require('node:fs').writeFileSync(${JSON.stringify(marker)}, '')`,
      ],
      { cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `the "baseUrl" of scenario-unknown.json (http://127.0.0.1:${APP_PORT}) uses ${APP_PORT}, which has no value: the only placeholders are ${PORT} and ${PROMETHEUS_PORT}`,
    );
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(existsSync(marker)).toBe(false);
  });
});

describe('malformed files exit 2 naming the field', () => {
  it.each([
    ['not JSON', '{ "metrics": [', 'not valid JSON'],
    [
      'a wrong kind',
      JSON.stringify({ metrics: [{ name: 'compute.vm.active', kind: 'meter' }] }),
      '.metrics[0].kind: got "meter"; expected one of counter, updowncounter, gauge, histogram',
    ],
    [
      'an unknown format',
      JSON.stringify({ format: 'other/v9', metrics: [] }),
      '.format: got "other/v9"',
    ],
    [
      'a bad service',
      JSON.stringify({ service: 'Compute', metrics: [] }),
      '.service: `Compute` cannot be a service name',
    ],
    [
      'a bad operation',
      JSON.stringify({ operations: [{ operation: 'Frobnicate', kind: 'VirtualMachine' }] }),
      '.operations[0]: `Frobnicate` is not a known operation verb',
    ],
  ])('a definition with %s', async (_, content, message) => {
    const path = file(`def-${Math.random().toString(36).slice(2)}.json`, content);
    const run = await runInProcess(['validate', '--definition', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('two definitions of different services', async () => {
    const a = file('a.json', JSON.stringify({ service: 'compute', metrics: [] }));
    const b = file('b.json', JSON.stringify({ service: 'network', metrics: [] }));
    const run = await runInProcess(['validate', '--definition', a, '--definition', b]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the definitions declare different services (compute, network)');
  });

  it('a module that exports no definition', async () => {
    const path = file('empty.mjs', 'export const answer = 42;\n');
    const run = await runInProcess(['validate', '--definition', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the module exports no definition');
  });

  it.each([
    ['no requests', '{}', '.requests: is missing; expected an array of requests'],
    [
      'a bad method',
      JSON.stringify({ requests: [{ method: 'FETCH', path: '/' }] }),
      '.requests[0].method: got "FETCH"',
    ],
    [
      'a relative path',
      JSON.stringify({ requests: [{ path: 'vms' }] }),
      '.requests[0].path: got "vms"; expected a path starting with /',
    ],
    [
      'a bad status',
      JSON.stringify({ requests: [{ path: '/', expectStatus: 99 }] }),
      '.requests[0].expectStatus: got 99',
    ],
    [
      'a short canary',
      JSON.stringify({ canaries: ['abc'], requests: [] }),
      '.canaries[0]: got "abc"; expected a secret string of at least 6 characters',
    ],
  ])('a scenario with %s', async (_, content, message) => {
    const path = file(`scenario-${Math.random().toString(36).slice(2)}.json`, content);
    const run = await runInProcess([
      'validate',
      '--scenario',
      path,
      '--',
      process.execPath,
      '-e',
      '0',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('a service that cannot be validated exits 2', () => {
  it('never becomes ready: gives up after --ready-timeout and kills it', async () => {
    const pidFile = join(dir, 'never-ready.pid');
    const run = await runInProcess([
      'validate',
      '--scenario',
      fixture('minimal-scenario.json'),
      '--ready-timeout',
      '1',
      '--',
      process.execPath,
      fixture('never-ready.mjs'),
      pidFile,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the service did not become ready within 1 s');
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('answers 503 on its --ready-url until the timeout', async () => {
    const run = await runInProcess([
      'validate',
      '--ready-url',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder the CLI substitutes
      'http://127.0.0.1:${PORT}/healthz',
      '--ready-timeout',
      '1',
      '--',
      process.execPath,
      fixture('unhealthy.mjs'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /did not become ready within 1 s: http:\/\/127\.0\.0\.1:\d+\/healthz \(it answered 503\)/,
    );
  });

  it('exits before it is ready: the exit code and its last output are shown', async () => {
    const run = await runInProcess([
      'validate',
      '--scenario',
      fixture('minimal-scenario.json'),
      '--',
      process.execPath,
      fixture('crash-early.mjs'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exited with code 3 before it was ready');
    expect(run.stderr).toContain('config error: DATABASE_URL is not set');
  });

  it('cannot be started at all', async () => {
    const run = await runInProcess(['validate', '--', join(dir, 'no-such-program')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot start');
    expect(run.stderr).toContain('ENOENT');
  });

  it('the receiver port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const run = await runInProcess(['validate', '--otlp-port', String(port), '--duration', '0']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is taken`);
    } finally {
      blocker.close();
    }
  });

  it('its Prometheus endpoint cannot be scraped', async () => {
    const run = await runInProcess([
      'validate',
      '--otlp-port',
      '0',
      '--duration',
      '0',
      '--prometheus',
      'http://127.0.0.1:1/metrics',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot scrape --prometheus http://127.0.0.1:1/metrics');
  });
});

describe('the run itself', () => {
  it('kills a service that ignores SIGTERM after --stop-timeout, and says so', async () => {
    const run = await runInProcess([
      'validate',
      '--scenario',
      fixture('minimal-scenario.json'),
      '--stop-timeout',
      '0.5',
      '--settle-timeout',
      '0',
      '--format',
      'json',
      '--',
      process.execPath,
      fixture('stubborn.mjs'),
    ]);
    const findings = (JSON.parse(run.stdout) as { findings: ValidationFinding[] }).findings;
    expect(findings.find((f) => f.rule === 'service.shutdown')?.level).toBe('warning');
    // It exported nothing at all: that alone fails the run.
    expect(findings.find((f) => f.rule === 'telemetry.none')?.level).toBe('violation');
    expect(run.code).toBe(1);
  });

  it('reports scenario requests that got another status than expected; --verbose shows the output', async () => {
    const path = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines/vm-9';
    const scenario = file(
      'wrong-status.json',
      JSON.stringify({
        readyPath: '/healthz',
        requests: [{ method: 'GET', path, expectStatus: 200 }],
      }),
    );
    const run = await runBin([
      'validate',
      '--scenario',
      scenario,
      '--format',
      'json',
      '--verbose',
      '--',
      process.execPath,
      example('compute-service.mjs'),
    ]);
    const findings = (JSON.parse(run.stdout) as { findings: ValidationFinding[] }).findings;
    const status = findings.find((f) => f.rule === 'scenario.status');
    expect(status?.message).toContain('answered 404, and the scenario expects 200');
    expect(run.code).toBe(1);
    // The service's own log line, copied to stderr; stdout stays the report alone.
    expect(run.stderr).toMatch(
      /\[service stdout\] \{"name":"compute".*"msg":"virtual machine not found"/,
    );
  });

  it('writes the report to --output and a summary on stderr; an unwritable --output exits 2', async () => {
    const out = join(dir, 'report.json');
    const args = ['validate', '--otlp-port', '0', '--duration', '0', '--format', 'json', '--quiet'];
    const run = await runInProcess([...args, '--output', out]);
    // Nothing was received: one violation.
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.violations).toBe(1);
    expect(run.stderr).toContain(`report written to ${out}`);
    const bad = await runInProcess([...args, '--output', join(dir, 'no', 'such', 'dir', 'r.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot write it (ENOENT)');
  });
});
