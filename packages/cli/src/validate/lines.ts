import type { Readable } from 'node:stream';
import type { CapturedLine } from '../types.js';

/** Longest line kept; a longer one is cut (a base64 blob must not eat the memory). */
const MAX_LINE = 64 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One output line: its JSON object when it is a JSON line (bunyan, pino), else the text alone. */
export function parseLine(stream: 'stdout' | 'stderr', raw: string): CapturedLine {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}') && text.length <= MAX_LINE) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isObject(value)) return { stream, fields: value, text };
    } catch {
      // not JSON after all: kept as text
    }
  }
  return { stream, text: text.length > MAX_LINE ? text.slice(0, MAX_LINE) : text };
}

/** Collects a child's stdout and stderr line by line, up to a bounded number of lines. */
export class LineCapture {
  readonly lines: CapturedLine[] = [];
  /** Lines not kept because the limit was reached. */
  dropped = 0;
  readonly #partial = { stdout: '', stderr: '' };
  readonly #limit: number;
  readonly #echo: ((line: CapturedLine) => void) | undefined;

  constructor(limit = 50_000, echo?: (line: CapturedLine) => void) {
    this.#limit = limit;
    this.#echo = echo;
  }

  attach(stream: Readable, name: 'stdout' | 'stderr'): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.#feed(name, chunk));
    stream.on('end', () => this.#flush(name));
  }

  /** The last lines written, for an error message about a service that failed. */
  tail(count: number): string[] {
    return this.lines.slice(-count).map((l) => `${l.stream}: ${l.text.slice(0, 300)}`);
  }

  #push(line: CapturedLine): void {
    this.#echo?.(line);
    if (this.lines.length < this.#limit) this.lines.push(line);
    else this.dropped++;
  }

  #feed(name: 'stdout' | 'stderr', chunk: string): void {
    const text = this.#partial[name] + chunk;
    const parts = text.split('\n');
    let rest = parts.pop() ?? '';
    for (const part of parts) this.#push(parseLine(name, part));
    if (rest.length > MAX_LINE) {
      this.#push(parseLine(name, rest));
      rest = '';
    }
    this.#partial[name] = rest;
  }

  #flush(name: 'stdout' | 'stderr'): void {
    if (this.#partial[name] !== '') this.#push(parseLine(name, this.#partial[name]));
    this.#partial[name] = '';
  }
}
