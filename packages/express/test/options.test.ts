// Issue 14, defect 5: every invalid option of the Express middleware fails at set-up, its own
// `captureUnhandledErrors` included (`'no'` was accepted and meant true).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import type { ExpressTelemetryOptions } from '../src/index.js';
import { ConfigError, telemetry } from '../src/index.js';

describe('telemetry() options', () => {
  it.each<[string, unknown, string]>([
    [
      'captureUnhandledErrors that is not a boolean',
      { captureUnhandledErrors: 'no' },
      'captureUnhandledErrors: got "no"; expected true or false',
    ],
    [
      'captureUnhandledErrors misspelt',
      { captureUnhandledError: false },
      'captureUnhandledError: unknown option; did you mean "captureUnhandledErrors"?',
    ],
    [
      'an HTTP option misspelt',
      { ignorePath: ['/x'] },
      'ignorePath: unknown option; did you mean "ignorePaths"?',
    ],
    [
      'an HTTP option of the wrong type',
      { traces: 'no' },
      'traces: got "no"; expected true or false',
    ],
  ])('%s is a ConfigError naming it', (_, options, message) => {
    let thrown: unknown;
    try {
      telemetry(options as ExpressTelemetryOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe(message);
  });

  it.each<[string, ExpressTelemetryOptions, number]>([
    ['the default', {}, 1],
    ['captureUnhandledErrors: true', { captureUnhandledErrors: true }, 1],
    ['captureUnhandledErrors: false', { captureUnhandledErrors: false }, 0],
  ])('%s: error recorders added on the first request: %i', async (_, options, expected) => {
    const app = express();
    app.use(telemetry({ logger: false, ...options }));
    app.get('/x', (_req, res) => {
      res.send('ok');
    });
    const added: unknown[] = [];
    const use = app.use.bind(app);
    app.use = ((...args: Parameters<typeof use>) => {
      added.push(args[0]);
      return use(...args);
    }) as typeof app.use;
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect((await fetch(`http://127.0.0.1:${port}/x`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(added).toHaveLength(expected);
  });
});
