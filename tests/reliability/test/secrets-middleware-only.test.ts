// The same secrets, sent to a service that installs the middleware and nothing else (no
// @datum-telemetry/logging): its built-in logger must print none of them either, whatever the
// handlers log, and must load no logging stack to do it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@datum-telemetry/demo/lib.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { occurrences } from './support/exported.js';
import { MARKER, SECRET_HEADERS, SECRET_QUERY, secretFields } from './support/secrets.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/middleware-only.mjs', import.meta.url));

interface Step {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
}

const STEPS: Step[] = [
  {
    method: 'POST',
    path: `/login?${SECRET_QUERY}`,
    body: { user: 'ada', ...secretFields('login'), profile: secretFields('login-profile') },
    status: 200,
  },
  { method: 'GET', path: `/payments?${SECRET_QUERY}`, status: 502 },
  { method: 'GET', path: `/boom?${SECRET_QUERY}`, status: 500 },
  { method: 'GET', path: `/ledger?${SECRET_QUERY}`, status: 200 },
  { method: 'GET', path: `/not/a/route?${SECRET_QUERY}`, status: 404 },
];

interface Run {
  readonly statuses: number[];
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly modules: string[];
}

async function run(framework: 'express' | 'koa'): Promise<Run> {
  const port = await freePort();
  const modulesFile = join(mkdtempSync(join(tmpdir(), 'middleware-only-')), 'modules.json');
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, FRAMEWORK: framework, PORT: String(port), MODULES_FILE: modulesFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');
  const base = `http://127.0.0.1:${port}`;
  try {
    for (const deadline = Date.now() + 15_000; ; ) {
      if (child.exitCode !== null) throw new Error(`the fixture exited early:\n${stderr}`);
      if (
        await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`the fixture did not start:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const statuses: number[] = [];
    for (const step of STEPS) {
      const body = step.body === undefined ? undefined : JSON.stringify(step.body);
      const res = await fetch(`${base}${step.path}`, {
        method: step.method,
        headers: { ...SECRET_HEADERS, ...(body ? { 'content-type': 'application/json' } : {}) },
        body,
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    child.kill('SIGTERM');
    const [exitCode] = (await exited) as [number | null];
    const modules = JSON.parse(readFileSync(modulesFile, 'utf8')) as string[];
    return { statuses, stdout, stderr, exitCode, modules };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe.each(['express', 'koa'] as const)(
  'secrets sent to a %s service with only the middleware',
  (framework) => {
    let result: Run;
    let lines: Record<string, unknown>[];

    beforeAll(async () => {
      result = await run(framework);
      lines = result.stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    }, 30_000);
    afterAll(() => undefined);

    it('were really sent and logged: every route answered, each line is a record of the service', () => {
      expect(result.statuses).toEqual(STEPS.map((s) => s.status));
      expect(result.exitCode).toBe(0);
      expect(lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          'login',
          'login body',
          'suspicious login',
          'upstream call failed',
          'request failed',
          'request completed',
        ]),
      );
      for (const line of lines) expect(line.name).toBe('ledger');
      expect(lines.find((l) => l.msg === 'login')).toMatchObject({
        user: 'ada',
        password: '[REDACTED]',
        token: '[REDACTED]',
      });
      expect(lines.find((l) => l.msg === 'upstream call failed')?.error).toMatchObject({
        type: 'Error',
        message: 'upstream refused the call',
        cause: { config: { headers: { authorization: '[REDACTED]' } } },
      });
    });

    it('appear in neither stdout nor stderr', () => {
      expect(occurrences(result.stdout, MARKER), 'stdout').toEqual([]);
      expect(occurrences(result.stderr, MARKER), 'stderr').toEqual([]);
    });

    it('went through no logging stack: neither @datum-telemetry/logging nor bunyan was loaded', () => {
      expect(result.modules.some((url) => url.includes('/packages/http/'))).toBe(true);
      expect(
        result.modules.filter((url) => /\/packages\/logging\/|\/bunyan[@/]/.test(url)),
      ).toEqual([]);
    });
  },
);
