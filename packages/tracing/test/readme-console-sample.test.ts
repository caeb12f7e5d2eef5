// The console sample the README shows under its quick start has the shape of what the quick start
// really prints: the same spans in the same order, the same fields, and ids as long as the real
// ones (the console exporter prints full trace and span ids; a sample with shortened ids would
// teach a reader to grep for something that never appears).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ParsedSpanLine } from './support/console-lines.js';
import { parseSpanLine } from './support/console-lines.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The `text` block after "It prints one line per span" in the README. */
function readmeSample(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const match = /It prints one line per span[\s\S]*?```text\n([\s\S]*?)```/.exec(readme);
  if (match === null) throw new Error('the README has no console sample after its quick start');
  return match[1]!.trimEnd().split('\n');
}

/** What must match between a sample line and a real one: all but times, ids and ports. */
function shape(line: ParsedSpanLine) {
  const id = (value: string | undefined) =>
    value === undefined
      ? 'none'
      : value === '-'
        ? '-'
        : /^[0-9a-f]{32}$/.test(value)
          ? 'trace id (32 hex)'
          : /^[0-9a-f]{16}$/.test(value)
            ? 'span id (16 hex)'
            : `not an id: ${value}`;
  const fields = Object.fromEntries(
    Object.entries(line.fields).map(([key, value]) => [
      key,
      ['trace', 'span', 'parent'].includes(key)
        ? id(value)
        : value.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:PORT').replace(/^\d+$/, 'N'),
    ]),
  );
  return {
    name: line.name,
    kind: line.kind,
    status: line.status,
    statusMessage: line.statusMessage,
    keys: Object.keys(line.fields),
    fields,
  };
}

function parsed(lines: string[]): ParsedSpanLine[] {
  return lines.map((line) => {
    const span = parseSpanLine(line);
    if (span === undefined) throw new Error(`not a console span line: ${line}`);
    return span;
  });
}

describe('the README console sample', () => {
  it('has the shape of what examples/quickstart.mjs prints: full ids, same spans and fields', () => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')),
    );
    const real = execFileSync(process.execPath, ['examples/quickstart.mjs'], {
      cwd: packageDir,
      encoding: 'utf8',
      env: clean,
    })
      .trimEnd()
      .split('\n')
      .slice(0, -1);
    expect(parsed(readmeSample()).map(shape)).toEqual(parsed(real).map(shape));
  });

  it('is one consistent trace: the client span is the child of the reconcile span', () => {
    const [client, reconcile] = parsed(readmeSample());
    expect(client!.fields.trace).toBe(reconcile!.fields.trace);
    expect(client!.fields.parent).toBe(reconcile!.fields.span);
    expect(client!.fields['server.port']).toBe(
      /:(\d+)\//.exec(client!.fields['url.full'] ?? '')?.[1],
    );
  });
});
