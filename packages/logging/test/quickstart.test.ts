import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLogLines } from '../src/testing/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('examples/quickstart.mjs (the README quick start)', () => {
  it('runs, checks itself, and prints JSON lines then `quickstart ok`', () => {
    const out = execFileSync(process.execPath, ['examples/quickstart.mjs'], {
      cwd: packageDir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
      timeout: 15_000,
    });
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('quickstart ok');
    const records = parseLogLines(lines.slice(0, -1).join('\n'));
    expect(records.map((r) => [r.msg, r.severity_text])).toEqual([
      ['resource created', 'INFO'],
      ['calling network-api', 'INFO'],
      ['failed to create resource', 'ERROR'],
    ]);
    expect(records[1]).toMatchObject({
      name: 'compute',
      operation: 'create',
      'resource.name': 'vm-1',
      'resource.kind': 'VirtualMachine',
      headers: { authorization: '[REDACTED]' },
    });
  });
});

describe('README.md', () => {
  it('shows examples/quickstart.mjs as its quick start, unchanged', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/quickstart.mjs', import.meta.url), 'utf8');
    const block = /## Quick start[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(example);
  });
});

describe('examples/log-file.mjs (the README section "Writing to a file")', () => {
  it('runs and checks the lines it wrote', () => {
    const out = execFileSync(process.execPath, ['examples/log-file.mjs'], {
      cwd: packageDir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
      timeout: 15_000,
    });
    expect(out).toBe('log file ok\n');
  });

  it('is shown in the README unchanged', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/log-file.mjs', import.meta.url), 'utf8');
    const block = /## Writing to a file[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(example);
  });
});
