import { diag } from '@opentelemetry/api';
import type { LogStream } from './types.js';

const watched = new WeakSet<object>();

/**
 * A stream that fails (stdout piped into a process that exited: EPIPE) emits `error`; with no
 * listener that would crash the service, so report it to `diag` instead, once per stream.
 */
function watchStreamErrors(stream: LogStream): void {
  const emitter = stream as { on?: unknown };
  if (typeof emitter.on !== 'function' || watched.has(stream)) return;
  watched.add(stream);
  let reported = false;
  (emitter.on as (event: string, listener: (error: unknown) => void) => void).call(
    stream,
    'error',
    (error) => {
      if (reported) return;
      reported = true;
      diag.error('@datum-telemetry/logging: the log stream failed; lines are lost', error);
    },
  );
}

/** Writes lines to the user's stream; a failing stream is reported to `diag` once, never thrown. */
export class LineWriter {
  readonly #stream: LogStream;
  #reported = false;

  constructor(stream: LogStream) {
    this.#stream = stream;
    watchStreamErrors(stream);
  }

  write(line: string): void {
    try {
      this.#stream.write(line);
    } catch (error) {
      if (this.#reported) return;
      this.#reported = true;
      diag.error('@datum-telemetry/logging: could not write a log line', error);
    }
  }
}
