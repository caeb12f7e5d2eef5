/** Where log lines go: anything with a `write(string)` method, such as a `Writable`. */
export interface LogLineStream {
  write(line: string): unknown;
}

/**
 * Told about a stream that failed, once per stream (or per writer, for a `write` that throws).
 * The packages pass OpenTelemetry's `diag.error`, which this dependency-free module cannot import.
 */
export type LineStreamFailure = (message: string, error: unknown) => void;

const watched = new WeakSet<object>();

/**
 * A stream that fails (stdout piped into a process that exited: EPIPE) emits `error`; with no
 * listener that would crash the service, so report it instead, once per stream.
 */
function watchStreamErrors(stream: LogLineStream, report: LineStreamFailure): void {
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
      report('the log stream failed; lines are lost', error);
    },
  );
}

/** Writes lines to the user's stream; a failing stream is reported once, never thrown. */
export class LineWriter {
  readonly #stream: LogLineStream;
  readonly #report: LineStreamFailure;
  #reported = false;

  constructor(stream: LogLineStream, report: LineStreamFailure) {
    this.#stream = stream;
    this.#report = report;
    watchStreamErrors(stream, report);
  }

  write(line: string): void {
    try {
      this.#stream.write(line);
    } catch (error) {
      if (this.#reported) return;
      this.#reported = true;
      this.#report('could not write a log line', error);
    }
  }
}
