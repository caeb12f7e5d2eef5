/**
 * The six level methods every logger on this writer has (`@datum-telemetry/logging`'s and the
 * middleware's built-in one): a threshold check before any work, then `write`. One copy, so that
 * the two loggers cannot disagree on which levels a threshold lets through.
 */
export abstract class LeveledLogger {
  /** The lowest bunyan level number written (10 trace ... 60 fatal, 70 silent). */
  protected readonly threshold: number;

  protected constructor(threshold: number) {
    this.threshold = threshold;
  }

  trace(...args: unknown[]): void {
    if (this.threshold <= 10) this.write(10, args);
  }

  debug(...args: unknown[]): void {
    if (this.threshold <= 20) this.write(20, args);
  }

  info(...args: unknown[]): void {
    if (this.threshold <= 30) this.write(30, args);
  }

  warn(...args: unknown[]): void {
    if (this.threshold <= 40) this.write(40, args);
  }

  error(...args: unknown[]): void {
    if (this.threshold <= 50) this.write(50, args);
  }

  fatal(...args: unknown[]): void {
    if (this.threshold <= 60) this.write(60, args);
  }

  /** Writes one call at `level`, which the threshold lets through. Never throws. */
  protected abstract write(level: number, args: unknown[]): void;
}
