import { closeSync, openSync, writeSync } from 'node:fs';
import { ConfigError, readPositiveInteger } from '@datum-telemetry/config';
import { diag } from '@opentelemetry/api';
import type { LogStream } from './types.js';

/** Options of {@link createLogFile}. */
export interface LogFileOptions {
  /**
   * Lines are collected in memory and written in one system call when this many characters are
   * waiting, or at the end of the current turn of the event loop, whichever comes first. `0`
   * writes every line at once. The default value is `16384`.
   */
  readonly bufferSize?: number;
}

/** A log file opened by {@link createLogFile}: a `stream` for `createLogger` and `setupLogging`. */
export interface LogFile extends LogStream {
  /** The path the file was opened with. */
  readonly path: string;
  /** Lines that could not be written (the disk full, the file closed). */
  readonly droppedLines: number;
  /** Adds one line (with its `\n`). Returns `false` when the file is closed and the line is dropped. */
  write(line: string): boolean;
  /** Writes the waiting lines now. Never throws; a failure is reported to `diag`. */
  flush(): void;
  /**
   * Closes and opens the path again, after writing the waiting lines: call it when a log rotator
   * (logrotate) has moved the file, for instance on `SIGHUP`.
   */
  reopen(): void;
  /** Writes the waiting lines and closes the file; later lines are dropped and counted. */
  close(): void;
}

const DEFAULT_BUFFER_SIZE = 16_384;

/** Open files with lines waiting: written out when the process exits, however it exits. */
const pending = new Set<FileWriter>();
let exitHooked = false;

function flushPending(): void {
  for (const file of pending) file.flush();
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  // `exit` runs on a normal end and on `process.exit()`; `uncaughtExceptionMonitor` runs before
  // a crash and, unlike an `uncaughtException` listener, leaves the crash to happen.
  process.on('exit', flushPending);
  process.on('uncaughtExceptionMonitor', flushPending);
}

class FileWriter implements LogFile {
  readonly path: string;
  readonly #bufferSize: number;
  #fd: number | undefined;
  #buffer = '';
  #lines = 0;
  #dropped = 0;
  #scheduled = false;
  #reported = false;
  readonly #flushSoon = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(path: string, fd: number, bufferSize: number) {
    this.path = path;
    this.#fd = fd;
    this.#bufferSize = bufferSize;
  }

  get droppedLines(): number {
    return this.#dropped;
  }

  write(line: string): boolean {
    if (this.#fd === undefined) {
      this.#drop(1, undefined);
      return false;
    }
    if (typeof line !== 'string') return false;
    if (this.#lines === 0) pending.add(this);
    this.#buffer += line;
    this.#lines += 1;
    if (this.#buffer.length >= this.#bufferSize) {
      this.flush();
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushSoon).unref();
    }
    return true;
  }

  flush(): void {
    if (this.#buffer === '') return;
    const text = this.#buffer;
    const lines = this.#lines;
    this.#buffer = '';
    this.#lines = 0;
    pending.delete(this);
    if (this.#fd === undefined) {
      this.#drop(lines, undefined);
      return;
    }
    try {
      // One string, encoded in C++: no Buffer per line, no callback, no stream machinery.
      const written = writeSync(this.#fd, text);
      if (written < Buffer.byteLength(text)) this.#finish(text, written);
    } catch (error) {
      this.#drop(lines, error);
    }
  }

  /** After a short write (the disk filling up): the rest, or the error that stops it. */
  #finish(text: string, done: number): void {
    const bytes = Buffer.from(text);
    let written = done;
    while (written < bytes.length) {
      const more = writeSync(this.#fd!, bytes, written);
      if (more <= 0) throw new Error(`short write: ${written} of ${bytes.length} bytes`);
      written += more;
    }
  }

  reopen(): void {
    this.flush();
    if (this.#fd === undefined) return;
    try {
      const fd = openSync(this.path, 'a');
      const old = this.#fd;
      this.#fd = fd;
      closeSync(old);
    } catch (error) {
      // Keep writing to the file already open: lines are not lost because the path moved.
      diag.error(`@datum-telemetry/logging: could not reopen ${this.path}`, error);
    }
  }

  close(): void {
    this.flush();
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      closeSync(fd);
    } catch (error) {
      diag.error(`@datum-telemetry/logging: could not close ${this.path}`, error);
    }
  }

  #drop(lines: number, error: unknown): void {
    this.#dropped += lines;
    if (this.#reported) return;
    this.#reported = true;
    diag.error(
      error === undefined
        ? `@datum-telemetry/logging: ${this.path} is closed; log lines are dropped`
        : `@datum-telemetry/logging: could not write to ${this.path}; log lines are dropped`,
      error,
    );
  }
}

/**
 * Opens (creating it when missing) a file to append JSON lines to, written with few system calls:
 * lines wait in memory for at most one turn of the event loop (`bufferSize`) and go out in one
 * synchronous write, so the order is kept and nothing waits on the thread pool. Lines still
 * waiting are written when the process exits, calls `process.exit()` or crashes on an uncaught
 * exception. Throws a `ConfigError` when the path cannot be opened.
 *
 * ```js
 * const logger = createLogger({ service: 'compute', stream: createLogFile('/var/log/compute.log') });
 * ```
 */
export function createLogFile(path: string, options: LogFileOptions = {}): LogFile {
  if (typeof path !== 'string' || path === '') {
    throw new ConfigError('path', 'expected the path of a file to append to');
  }
  if (options === null || typeof options !== 'object') {
    throw new ConfigError('options', 'expected an object');
  }
  const bufferSize =
    options.bufferSize === 0
      ? 0
      : readPositiveInteger('bufferSize', options.bufferSize, undefined, DEFAULT_BUFFER_SIZE);
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    throw new ConfigError('path', `could not open ${path}: ${(error as Error).message}`);
  }
  hookExit();
  return new FileWriter(path, fd, bufferSize);
}
