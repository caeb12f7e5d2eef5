import { diag } from '@opentelemetry/api';

/**
 * Waits for `work` at most `timeoutMillis`. Resolves either way and never rejects: a failure or a
 * missed deadline goes to `diag`, because flushing telemetry must not break the app's own shutdown.
 */
export function settleWithin(
  work: () => Promise<unknown>,
  timeoutMillis: number,
  what: string,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      resolve();
      return true;
    };
    const timer = setTimeout(() => {
      if (finish()) {
        diag.error(`@datum-telemetry/metrics: ${what} did not finish within ${timeoutMillis} ms`);
      }
    }, timeoutMillis);
    let running: Promise<unknown>;
    try {
      running = work();
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => finish(),
      (error: unknown) => {
        if (finish()) diag.error(`@datum-telemetry/metrics: ${what} failed`, error);
      },
    );
  });
}
