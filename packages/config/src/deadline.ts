// The one deadline of the signal packages' flush and shutdown (and of `shutdownOnSignal`'s steps).
// Separate entry point (`@datum-telemetry/config/deadline`): it reports through `diag`, so it needs
// `@opentelemetry/api`, and the main entry stays free of dependencies.
import { diag } from '@opentelemetry/api';

/** Who is waiting, and for what: the words of the `diag` messages. */
export interface SettleWithinLabels {
  /** The package that reports: `@datum-telemetry/tracing`. */
  readonly component: string;
  /** What it waits for: `forceFlush`, `shutdown of the OTLP log export`. */
  readonly what: string;
}

/**
 * Waits for `work` at most `timeoutMillis`. Resolves `true` when the work finished in time, `false`
 * when it failed (one `diag.error`) or the deadline passed first (one `diag.warn`: "giving up").
 * Never rejects, and a `work` that throws synchronously counts as failed: flushing telemetry runs in
 * the app's exit path and must not break it. The timer is unref'd, so the deadline never keeps a
 * process alive that has nothing else to do; a caller that must outlive it (to choose the exit
 * code) keeps the process alive itself.
 */
export function settleWithin(
  work: () => unknown,
  timeoutMillis: number,
  labels: SettleWithinLabels,
): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const settle = (inTime: boolean): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      resolve(inTime);
      return true;
    };
    const timer = setTimeout(() => {
      if (settle(false)) {
        diag.warn(
          `${labels.component}: ${labels.what} did not finish within ${timeoutMillis} ms; giving up`,
        );
      }
    }, timeoutMillis);
    timer.unref();
    let running: Promise<unknown>;
    try {
      running = Promise.resolve(work());
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => settle(true),
      (error: unknown) => {
        if (settle(false)) diag.error(`${labels.component}: ${labels.what} failed`, error);
      },
    );
  });
}
