import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSpanLine } from './support/console-lines.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Runs Node from the package folder, so that the package name resolves through its own `exports`
// map to the built `dist/`: what a user who installed it gets.
function runNode(args: string[], env: Record<string, string> = {}): string {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')),
  );
  return execFileSync(process.execPath, args, {
    cwd: packageDir,
    encoding: 'utf8',
    env: { ...clean, ...env },
  });
}

describe('examples/quickstart.mjs, run as a user would', () => {
  it('is the quick start the README shows, word for word', () => {
    const example = readFileSync(new URL('../examples/quickstart.mjs', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`js\n${example.trimEnd()}\n\`\`\``);
  });

  it('prints one readable line per span, propagates through fetch, and ends with "quickstart ok"', () => {
    const lines = runNode(['examples/quickstart.mjs']).trimEnd().split('\n');
    expect(lines.at(-1)).toBe('quickstart ok');
    const spans = lines.slice(0, -1).map(parseSpanLine);
    expect(spans.map((s) => s?.name)).toEqual([
      'GET',
      'ReconcileVirtualMachine',
      'DeleteVirtualMachine',
    ]);
    const [client, reconcile, del] = spans;
    expect(reconcile).toMatchObject({
      kind: 'internal',
      status: 'UNSET',
      fields: { parent: '-', 'resource.name': 'vm-1', 'resource.namespace': 'default' },
    });
    expect(client).toMatchObject({
      kind: 'client',
      status: 'UNSET',
      fields: {
        trace: reconcile?.fields.trace,
        parent: reconcile?.fields.span,
        'http.request.method': 'GET',
        'http.response.status_code': '200',
      },
    });
    expect(del).toMatchObject({ status: 'ERROR', statusMessage: 'vm-1 is still running' });
  });
});

describe('the published entry points', () => {
  it('import by package name as ESM, main and testing', () => {
    const out = runNode([
      '--input-type=module',
      '-e',
      `import { setupTracing, withSpan } from '@datum-telemetry/tracing';
       import { createTestTracing } from '@datum-telemetry/tracing/testing';
       const t = createTestTracing();
       withSpan('GetVirtualMachine', () => undefined);
       console.log(JSON.stringify([typeof setupTracing, t.spanTree()]));
       await t.shutdown();`,
    ]);
    expect(JSON.parse(out)).toEqual([
      'function',
      [{ name: 'GetVirtualMachine', kind: 'internal', status: 'UNSET', children: [] }],
    ]);
  });

  it('loads with require() on Node >= 20.19', () => {
    const out = runNode([
      '-e',
      `const t = require('@datum-telemetry/tracing');
       console.log(typeof t.createSpanHelper, typeof require('@datum-telemetry/tracing/testing').createTestTracing);`,
    ]);
    expect(out.trim()).toBe('function function');
  });

  it('exports nothing by accident: every export is named in src/index.ts', async () => {
    const mod = await import('../src/index.js');
    expect(Object.keys(mod).sort()).toEqual([
      'BaggagePropagator',
      'ConfigError',
      'ConventionError',
      'ReadableConsoleSpanExporter',
      'TraceContextPropagator',
      'VERSION',
      'W3CTraceState',
      'createSpanHelper',
      'createSpanHelpers',
      'createW3CPropagator',
      'errorType',
      'extractContext',
      'formatSpanJson',
      'formatSpanText',
      'injectContext',
      'instrumentOutgoingFetch',
      'instrumentOutgoingHttp',
      'recordError',
      'redactUrl',
      'resourceAttributes',
      'setupTracing',
      'withSpan',
    ]);
  });
});
