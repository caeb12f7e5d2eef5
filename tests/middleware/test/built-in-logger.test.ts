// The default path: `telemetry({ service })` with no logger, so the middleware's built-in logger
// writes to stdout. Its lines must be the lines `@datum-telemetry/logging` writes: secrets redacted,
// `error` as an object, `name` the service, the real trace flags, one record per line.
import type { Server } from 'node:http';
import { checkLogFields } from '@datum-telemetry/conventions';
import { createTestLogger } from '@datum-telemetry/logging/testing';
import type { MockInstance } from 'vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Flavor } from './apps.js';
import { buildApp, FLAVORS, LOGIN_FIELDS, RESOURCES } from './apps.js';
import type { LogLine } from './harness.js';
import { baseUrl, close, installPipelines, listen, waitFor } from './harness.js';

installPipelines();
vi.spyOn(console, 'error').mockImplementation(() => undefined);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

let stdout: MockInstance<typeof process.stdout.write>;
const written: string[] = [];

beforeAll(() => {
  // The built-in logger writes to `process.stdout` itself: catch what it writes there.
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
});
afterAll(() => stdout.mockRestore());
beforeEach(() => {
  written.length = 0;
});

/** The built-in logger's lines: each write is one whole line, which must parse on its own. */
function lines(): LogLine[] {
  return written
    .filter((text) => text.startsWith('{"name":'))
    .map((text) => {
      expect(text.endsWith('\n')).toBe(true);
      expect(text.slice(0, -1)).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
      return JSON.parse(text) as LogLine;
    });
}

async function get(server: Server, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl(server)}${path}`, { headers });
  await res.arrayBuffer();
  return res;
}

function lineWith(msg: string): Promise<LogLine> {
  return waitFor(() => lines().find((l) => l.msg === msg), `the line "${msg}"`);
}

describe.each(FLAVORS)('%s, with the built-in logger (no logging package)', (flavor: Flavor) => {
  const options = { service: 'compute', resources: [...RESOURCES] };
  const app = buildApp(flavor, options);
  // Without a span of its own, the request runs in the caller's context, flags and all.
  const untraced = buildApp(flavor, { ...options, traces: false });
  const test = createTestLogger({ service: 'compute' });
  const withLogging = buildApp(flavor, { ...options, logger: test.logger });
  const servers = [app, untraced, withLogging].map((a) => a.server);

  beforeAll(async () => {
    for (const s of servers) await listen(s);
  });
  afterAll(async () => {
    for (const s of servers) await close(s);
  });
  beforeEach(() => test.clear());

  it('redacts fields that name secrets', async () => {
    await get(app.server, '/login');
    const line = await lineWith('login');
    expect(line).toMatchObject({ user: 'ada', password: '[REDACTED]', token: '[REDACTED]' });
    expect(written.join('')).not.toContain(LOGIN_FIELDS.password);
    expect(written.join('')).not.toContain('"abc"');
  });

  it('writes `req.log.error(err, msg)` under `error`, as @datum-telemetry/logging does', async () => {
    await get(app.server, '/log-error');
    const line = await lineWith('could not save');
    expect(line.level).toBe(50);
    expect(line.err).toBeUndefined();
    expect(line.error).toMatchObject({ type: 'Error', message: 'disk full' });
    expect(checkLogFields(line).map((f) => f.name)).not.toContain('err');

    await get(withLogging.server, '/log-error');
    const logged = await waitFor(() => test.find((r) => r.msg === 'could not save'), 'the line');
    expect(Object.keys(line.error as object)).toEqual(Object.keys(logged.error as object));
    // Only bunyan's `name` (the service) is left for the check to flag, on both lines.
    expect(checkLogFields(line)).toEqual(checkLogFields(logged));
  });

  it('names each line after the service', async () => {
    await get(app.server, '/log');
    await lineWith('inside handler');
    await lineWith('request completed');
    expect(lines().length).toBeGreaterThanOrEqual(2);
    expect(new Set(lines().map((l) => l.name))).toEqual(new Set(['compute']));
  });

  it('writes the trace flags as they are, as two hex digits', async () => {
    await get(untraced.server, '/log', { traceparent: `00-${TRACE_ID}-${PARENT_ID}-03` });
    for (const msg of ['inside handler', 'request completed']) {
      expect(await lineWith(msg)).toMatchObject({
        trace_id: TRACE_ID,
        span_id: PARENT_ID,
        trace_flags: '03',
      });
    }
  });

  it("writes the access log's `error` as the object @datum-telemetry/logging writes", async () => {
    await get(app.server, '/boom');
    const builtIn = await lineWith('request failed');
    await get(withLogging.server, '/boom');
    const logged = await waitFor(() => test.find((r) => r.msg === 'request failed'), 'the line');
    for (const error of [builtIn.error, logged.error]) {
      expect(error).toMatchObject({ type: 'Error', message: 'kaboom' });
      expect(typeof (error as { stack?: unknown }).stack).toBe('string');
    }
    expect(Object.keys(builtIn.error as object)).toEqual(Object.keys(logged.error as object));
  });

  it('keeps every record on one line, whatever a handler logs', async () => {
    const hostile = 'a\nb\u0085c\u2028d\u2029{"level":60,"msg":"forged"}\u001b[31m';
    await get(app.server, `/echo/${encodeURIComponent(hostile)}`);
    const line = await lineWith(hostile);
    expect(line.text).toBe(hostile);
    expect(lines().some((l) => l.msg === 'forged')).toBe(false);
  });
});
