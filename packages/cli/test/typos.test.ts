// A CI gate must fail on a typo: an unknown key in a scenario file, an unknown flag or a service
// name that cannot be a metric segment each exit 2 with the path or flag and what was meant.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeScenario } from '../src/index.js';
import { example, runBin, runInProcess } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'datum-cli-typos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenarioFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const vm9 = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines/vm-9';

describe('a scenario file with an unknown key exits 2, naming the key and what was meant', () => {
  it('`expectStaus` on a path that answers 404 is refused before the service is started', async () => {
    const path = scenarioFile('typo-status.json', {
      readyPath: '/healthz',
      requests: [{ method: 'GET', path: vm9, expectStaus: 200 }],
    });
    // The service would answer 404 to this path: were the key ignored, the run would pass.
    const run = await runBin([
      'validate',
      '--scenario',
      path,
      '--',
      process.execPath,
      example('compute-service.mjs'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${path}.requests[0].expectStaus: unknown key; did you mean "expectStatus"?`,
    );
    expect(run.stdout).not.toContain('OK');
    expect(run.stderr).not.toContain('starting');
  });

  it.each([
    [
      { readyPth: '/healthz', requests: [] },
      'scenario.readyPth: unknown key; did you mean "readyPath"?',
    ],
    [{ request: [] }, 'scenario.request: unknown key; did you mean "requests"?'],
    [
      { requests: [{ path: '/', header: { a: 'b' } }] },
      'scenario.requests[0].header: unknown key; did you mean "headers"?',
    ],
    [
      { requests: [], frobnicate: 1 },
      'scenario.frobnicate: unknown key; expected one of baseUrl, readyPath, canaries, timeoutMs, requests',
    ],
    [{}, 'scenario.requests: is missing; expected an array of requests'],
    [{ requests: [{ method: 'GET' }] }, 'scenario.requests[0].path: is missing'],
    [
      { requests: [{ path: '/', method: 'FETCH' }] },
      'scenario.requests[0].method: got "FETCH"; expected one of GET, HEAD',
    ],
    [
      { requests: [{ path: '/', expectStatus: 700 }] },
      'scenario.requests[0].expectStatus: got 700; expected an HTTP status (100-599)',
    ],
    [
      { requests: [{ path: '/', headers: { a: 1 } }] },
      'scenario.requests[0].headers.a: got 1; expected a string',
    ],
    [
      { canaries: ['abc'], requests: [] },
      'scenario.canaries[0]: got "abc"; expected a secret string',
    ],
    [{ baseUrl: 'localhost', requests: [] }, 'scenario.baseUrl: got "localhost"; expected http://'],
    [[], 'scenario: got an array; expected an object'],
  ])('%j', (input, message) => {
    expect(() => normalizeScenario(input)).toThrow(message);
  });

  it('accepts every documented key, and keeps what it was given', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder the validator substitutes
    const baseUrl = 'http://127.0.0.1:${PORT}';
    expect(
      normalizeScenario({
        baseUrl,
        readyPath: '/healthz',
        canaries: ['canary-123'],
        timeoutMs: 500,
        requests: [
          { method: 'post', path: '/a', headers: { x: 'y' }, body: { a: 1 }, expectStatus: 201 },
          { path: '/b' },
        ],
      }),
    ).toEqual({
      baseUrl,
      readyPath: '/healthz',
      canaries: ['canary-123'],
      timeoutMs: 500,
      requests: [
        { method: 'POST', path: '/a', headers: { x: 'y' }, body: { a: 1 }, expectStatus: 201 },
        { method: 'GET', path: '/b' },
      ],
    });
  });
});

describe('an unknown flag exits 2 with the flag that was meant', () => {
  it.each([
    [['validate', '--scenaro', 's.json'], "Unknown option '--scenaro'; did you mean --scenario?"],
    [
      ['validate', '--defintion=x.json'],
      "Unknown option '--defintion'; did you mean --definition?",
    ],
    [['validate', '--expect-spans', 'X'], 'did you mean --expect-span?'],
    [['validate', '--zzz'], "Unknown option '--zzz'\nRun `datum-telemetry validate --help`"],
    [['scaffold', '--framwork', 'koa'], "Unknown option '--framwork'; did you mean --framework?"],
    [['scaffold', '--dryrun'], 'did you mean --dry-run?'],
    // A misspelt command, too.
    [['valdate'], 'unknown command "valdate"; did you mean validate?'],
    [['scafold', '--service', 'x'], 'unknown command "scafold"; did you mean scaffold?'],
    [
      ['frobnicate'],
      'unknown command "frobnicate"; expected validate, scaffold, dashboard or alerts',
    ],
  ])('%j', async (args, message) => {
    const run = await runInProcess(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});

describe('--service that cannot be a metric segment: validate and scaffold say the same', () => {
  it.each([
    ['Compute-API', 'compute_api'],
    ['networkAPI', 'network_api'],
  ])('%s: use %s', async (service, suggestion) => {
    const validate = await runInProcess(['validate', '--service', service]);
    const scaffold = await runInProcess([
      'scaffold',
      '--service',
      service,
      '--resource',
      'VirtualMachine',
      '--short',
      'vm',
      '--framework',
      'express',
      '--dry-run',
    ]);
    for (const run of [validate, scaffold]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--service: [metric.service.invalid] \`${service}\` cannot be`);
      expect(run.stderr).toContain(`use \`${suggestion}\``);
    }
  });
});

describe('progress lines', () => {
  it('say "1 scenario request", and "2 scenario requests"', async () => {
    for (const count of [1, 2]) {
      const path = scenarioFile(`count-${count}.json`, {
        readyPath: '/healthz',
        requests: Array.from({ length: count }, () => ({ path: vm9, expectStatus: 404 })),
      });
      const run = await runBin([
        'validate',
        '--scenario',
        path,
        '--',
        process.execPath,
        example('compute-service.mjs'),
      ]);
      expect(run.stderr).toMatch(
        count === 1 ? /sent 1 scenario request\n/ : /sent 2 scenario requests\n/,
      );
    }
  });
});
