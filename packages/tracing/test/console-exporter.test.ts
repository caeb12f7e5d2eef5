import { afterEach, describe, expect, it } from 'vitest';
import type { TracingHandle } from '../src/index.js';
import { createSpanHelper, setupTracing, withSpan } from '../src/index.js';
import { parseSpanLine } from './support/console-lines.js';

let handle: TracingHandle | undefined;

afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

function consoleTracing(format: 'text' | 'json', maxAttributes?: number): string[] {
  const lines: string[] = [];
  handle = setupTracing({
    service: 'compute',
    exporter: 'console',
    console: { format, write: (line) => lines.push(line), maxAttributes },
    processor: 'simple',
    instrumentFetch: false,
    env: {},
  });
  return lines;
}

async function work(): Promise<void> {
  const reconcile = createSpanHelper({ operation: 'Reconcile', kind: 'VirtualMachine' });
  await reconcile(
    { 'resource.name': 'vm-1', 'resource.kind': 'VirtualMachine', note: 'two words' },
    async () => {
      await withSpan('GetVirtualMachine', async () => {
        throw new Error('quota "cpu" exceeded');
      }).catch(() => undefined);
    },
  );
}

describe('the readable console exporter', () => {
  it('text: one line per span with ids, parent, name, kind, duration, status and key attributes', async () => {
    const lines = consoleTracing('text');
    await work();
    await handle?.forceFlush();
    expect(lines).toHaveLength(2);
    const [get, reconcile] = lines.map(parseSpanLine);
    expect(reconcile).toMatchObject({
      name: 'ReconcileVirtualMachine',
      kind: 'internal',
      status: 'UNSET',
      fields: {
        parent: '-',
        'resource.name': 'vm-1',
        'resource.kind': 'VirtualMachine',
        note: 'two words',
      },
    });
    expect(reconcile?.fields.trace).toMatch(/^[0-9a-f]{32}$/);
    expect(reconcile?.fields.span).toMatch(/^[0-9a-f]{16}$/);
    expect(reconcile?.durationMs).toBeGreaterThanOrEqual(0);
    expect(get).toMatchObject({
      name: 'GetVirtualMachine',
      status: 'ERROR',
      statusMessage: 'quota "cpu" exceeded',
      fields: {
        trace: reconcile?.fields.trace,
        parent: reconcile?.fields.span,
        'error.type': 'Error',
      },
    });
    // Standard attributes come first, in a fixed order.
    expect(lines[1]).toMatch(
      / resource\.kind=VirtualMachine resource\.name=vm-1 note="two words"$/,
    );
  });

  it('text: attributes past maxAttributes are counted, not printed', () => {
    const lines = consoleTracing('text', 1);
    withSpan(
      'GetVirtualMachine',
      { attributes: { a: 1, b: true, c: ['x', 'y'] } },
      () => undefined,
    );
    expect(lines[0]).toMatch(/ a=1 \+2 attributes$/);
    expect(parseSpanLine(lines[0]!)?.fields).toMatchObject({ a: '1' });
  });

  it('json: one JSON object per line', async () => {
    const lines = consoleTracing('json');
    await work();
    const [get, reconcile] = lines.map((line) => JSON.parse(line));
    expect(reconcile).toMatchObject({
      name: 'ReconcileVirtualMachine',
      kind: 'internal',
      status: { code: 'UNSET' },
      attributes: { 'resource.name': 'vm-1', note: 'two words' },
      service: 'compute',
      scope: '@datum-telemetry/tracing',
    });
    expect(get).toMatchObject({
      name: 'GetVirtualMachine',
      traceId: reconcile.traceId,
      parentSpanId: reconcile.spanId,
      status: { code: 'ERROR', message: 'quota "cpu" exceeded' },
    });
    expect(get.events.map((e: { name: string }) => e.name)).toEqual(['exception']);
    expect(typeof get.durationMs).toBe('number');
  });

  it.each(['text', 'json'] as const)(
    '%s: one line per span whatever the name, keys and values hold (no forged lines)',
    (format) => {
      const lines = consoleTracing(format);
      const hostile = 'a\n{"msg":"forged"}\r\u0085\u2028\u2029\u0000\u001b[31m\u007f';
      withSpan(
        `GetVirtualMachine${hostile}`,
        { attributes: { [`key${hostile}`]: `value${hostile}`, 'user_agent.original': hostile } },
        () => undefined,
      );
      expect(lines).toHaveLength(1);
      // Every character some reader splits lines on, or a terminal acts on, is escaped.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
      expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      if (format === 'json') {
        const span = JSON.parse(lines[0]!);
        expect(span.name).toBe(`GetVirtualMachine${hostile}`);
        expect(span.attributes).toEqual({
          [`key${hostile}`]: `value${hostile}`,
          'user_agent.original': hostile,
        });
      } else {
        expect(lines[0]).toContain('GetVirtualMachinea\\u000a{"msg":"forged"}\\u000d\\u0085');
        const quoted = lines[0]!.match(/ user_agent\.original=("(?:[^"\\]|\\.)*")/)?.[1];
        expect(JSON.parse(quoted!)).toBe(hostile);
      }
    },
  );
});
