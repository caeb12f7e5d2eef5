import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ShutdownOptions } from '../src/index.js';
import { shutdownOnSignal } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function start(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['test/fixtures/shutdown-server.mjs'], {
    cwd: packageDir,
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const port = new Promise<number>((resolve) => {
    child.stdout.on('data', () => {
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  return { child, port, output: () => out };
}

describe('shutdownOnSignal', () => {
  it('on SIGTERM: finishes in-flight requests, refuses new ones, flushes, exits 0', async () => {
    const { child, port, output } = start();
    const p = await port;
    const inFlight = fetch(`http://127.0.0.1:${p}/slow`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await inFlight).toBe('slow done');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output()).toContain('signal SIGTERM');
    expect(output()).toContain('flush');
    await expect(fetch(`http://127.0.0.1:${p}/`)).rejects.toThrow();
  });

  it('tells keep-alive clients to close: a request in flight at SIGTERM is answered with Connection: close', async () => {
    const { child, port } = start();
    const p = await port;
    const { request } = await import('node:http');
    const agent = new (await import('node:http')).Agent({ keepAlive: true });
    const response = new Promise<{ connection: string | undefined; body: string }>(
      (resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: p, path: '/slow', agent }, (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ connection: res.headers.connection, body }));
        });
        req.on('error', reject);
        req.end();
      },
    );
    await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await response).toEqual({ connection: 'close', body: 'slow done' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    agent.destroy();
  });

  it('a flush that hangs cannot keep the process past its deadline: exit code 1', async () => {
    const { child, port } = start({ HANG_FLUSH: '1' });
    await port;
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
  });

  it('rejects bad options at once', () => {
    const server = { close() {}, closeIdleConnections() {}, closeAllConnections() {} } as never;
    expect(() => shutdownOnSignal(server, { drainTimeoutMillis: -1, exit: false })).toThrow(
      'shutdownOnSignal.drainTimeoutMillis: got -1; expected a number of milliseconds >= 0',
    );
    expect(() => shutdownOnSignal(server, { flush: 'x' as never, exit: false })).toThrow(
      'shutdownOnSignal.flush: got "x"; expected a function returning a promise',
    );
    expect(() =>
      shutdownOnSignal(server, { drainTimeout: 1, exit: false } as ShutdownOptions),
    ).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message:
          'shutdownOnSignal.drainTimeout: unknown option; did you mean "drainTimeoutMillis"?',
      }),
    );
  });
});
