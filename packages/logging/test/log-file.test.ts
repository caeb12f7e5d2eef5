import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogFile } from '../src/index.js';
import { ConfigError, createLogFile, createLogger } from '../src/index.js';
import { captureDiag } from './diag-capture.js';

let dir: string;
const open: LogFile[] = [];

function file(name = 'app.log', options?: Parameters<typeof createLogFile>[1]): LogFile {
  const created = createLogFile(join(dir, name), options);
  open.push(created);
  return created;
}

const read = (name = 'app.log') => readFileSync(join(dir, name), 'utf8');
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'datum-log-file-'));
});

afterEach(() => {
  for (const f of open.splice(0)) f.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createLogFile', () => {
  it('writes the lines of one turn together at the end of the turn, in order', async () => {
    const out = file();
    for (let i = 0; i < 100; i++) out.write(`line ${i}\n`);
    expect(read()).toBe('');
    await nextTurn();
    expect(read()).toBe(Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
  });

  it('writes at once when bufferSize characters are waiting, and each line with bufferSize 0', () => {
    const out = file('a.log', { bufferSize: 10 });
    out.write('12345\n');
    expect(read('a.log')).toBe('');
    out.write('67890\n');
    expect(read('a.log')).toBe('12345\n67890\n');
    const each = file('b.log', { bufferSize: 0 });
    each.write('one\n');
    expect(read('b.log')).toBe('one\n');
  });

  it('appends to a file that exists and keeps multi-byte text intact', async () => {
    const first = file();
    first.write('first ✓\n');
    first.close();
    const second = file();
    second.write('second 日本\n');
    await nextTurn();
    expect(read()).toBe('first ✓\nsecond 日本\n');
  });

  it('carries a logger: every record is one JSON line in the file', async () => {
    const out = file();
    const log = createLogger({ service: 'compute', env: {}, stream: out });
    for (let i = 0; i < 5000; i++) log.info('request', 'n', i);
    await nextTurn();
    const lines = read()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(5000);
    expect(lines.map((line) => line.n)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(lines[0]).toMatchObject({ name: 'compute', msg: 'request', severity_text: 'INFO' });
  });

  it('reopen() continues in a new file at the path after a rotation', async () => {
    const out = file();
    out.write('before\n');
    renameSync(join(dir, 'app.log'), join(dir, 'app.log.1'));
    out.reopen();
    out.write('after\n');
    await nextTurn();
    expect(read('app.log.1')).toBe('before\n');
    expect(read()).toBe('after\n');
  });

  it('close() writes what waits; later lines are dropped, counted and reported once', () => {
    const diag = captureDiag();
    try {
      const out = file();
      out.write('kept\n');
      out.close();
      expect(read()).toBe('kept\n');
      expect(out.write('lost\n')).toBe(false);
      expect(out.write('lost\n')).toBe(false);
      expect(out.droppedLines).toBe(2);
      expect(read()).toBe('kept\n');
      expect(diag.messages.filter((m) => m.includes('is closed'))).toHaveLength(1);
      out.close();
    } finally {
      diag.stop();
    }
  });

  it('a failing disk (/dev/full) drops and counts the lines, reports once, never throws', () => {
    const diag = captureDiag();
    try {
      const full = createLogFile('/dev/full', { bufferSize: 0 });
      open.push(full);
      expect(() => {
        full.write('a\n');
        full.write('b\n');
      }).not.toThrow();
      expect(full.droppedLines).toBe(2);
      expect(diag.messages.filter((m) => m.includes('could not write'))).toHaveLength(1);
      expect(diag.messages[0]).toContain('ENOSPC');
    } finally {
      diag.stop();
    }
  });

  it('rejects a path it cannot open and bad options with a ConfigError naming them', () => {
    const missing = join(dir, 'no-such-dir', 'app.log');
    expect(() => createLogFile(missing)).toThrow(ConfigError);
    expect(() => createLogFile(missing)).toThrow(/^path: could not open .*ENOENT/);
    expect(() => createLogFile('')).toThrow(/^path: /);
    expect(() => createLogFile(42 as unknown as string)).toThrow(/^path: /);
    expect(() => file('x.log', { bufferSize: -1 })).toThrow(/^bufferSize: got -1/);
    expect(() => file('x.log', { bufferSize: 1.5 })).toThrow(/^bufferSize: /);
    expect(() => file('x.log', null as unknown as object)).toThrow(/^options: /);
  });

  it('ignores a line that is not a string', async () => {
    const out = file();
    expect(out.write(42 as unknown as string)).toBe(false);
    out.write('ok\n');
    await nextTurn();
    expect(read()).toBe('ok\n');
  });
});

describe('createLogFile when the process ends', () => {
  const entry = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href;
  const run = (path: string, ending: string) => {
    const script = `
      import { createLogFile, createLogger } from ${JSON.stringify(entry)};
      const log = createLogger({ service: 'compute', env: {}, stream: createLogFile(${JSON.stringify(path)}) });
      for (let i = 0; i < 1000; i++) log.info('line', 'n', i);
      ${ending}
    `;
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });
      return 0;
    } catch (error) {
      return (error as { status: number }).status;
    }
  };
  const count = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').length;

  it.each([
    ['the script ends', ''],
    ['process.exit() is called at once', 'process.exit(3);'],
    ['an uncaught exception crashes it', "throw new Error('boom');"],
    ['a promise rejection is unhandled', "Promise.reject(new Error('boom'));"],
  ])('keeps every line when %s', (_, ending) => {
    const path = join(dir, 'exit.log');
    const status = run(path, ending);
    expect(status).toBe(ending === '' ? 0 : ending.includes('exit(3)') ? 3 : 1);
    expect(count(path)).toBe(1000);
  });
});
