import type { Logger, LoggerOptions } from '../src/index.js';
import { createLogger } from '../src/index.js';

/** A parsed JSON line. */
export type Line = Record<string, unknown> & { level: number; msg: string };

/** A stream that keeps what is written, as the raw text and as parsed lines. */
export interface MemoryStream {
  write(line: string): boolean;
  /** Everything written, joined. */
  text(): string;
  /** Each `\n`-terminated line parsed as JSON (throws when one is not JSON). */
  lines(): Line[];
}

export function memoryStream(): MemoryStream {
  const chunks: string[] = [];
  return {
    write(line: string) {
      chunks.push(line);
      return true;
    },
    text: () => chunks.join(''),
    lines() {
      const text = chunks.join('');
      if (text === '') return [];
      if (!text.endsWith('\n')) throw new Error(`output does not end in a newline: ${text}`);
      return text
        .slice(0, -1)
        .split('\n')
        .map((line) => JSON.parse(line) as Line);
    },
  };
}

/** A logger writing to memory, with `env` empty unless given (so the machine's env cannot leak in). */
export function capture(options: LoggerOptions = {}): { log: Logger; out: MemoryStream } {
  const out = memoryStream();
  const log = createLogger({
    service: 'compute',
    level: 'trace',
    env: {},
    ...options,
    stream: out,
  });
  return { log, out };
}

/** The one line written; fails when there is not exactly one. */
export function only(out: MemoryStream): Line {
  const lines = out.lines();
  if (lines.length !== 1) throw new Error(`expected one line, got ${lines.length}:\n${out.text()}`);
  return lines[0]!;
}
