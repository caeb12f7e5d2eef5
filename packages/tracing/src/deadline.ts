import { diag } from '@opentelemetry/api';

/**
 * Waits for `work` at most `millis`, then resolves anyway. Never rejects: a failure or the deadline
 * is reported through `diag`, because shutdown and flush run in the app's exit path.
 */
export function settleWithin(
  work: () => Promise<unknown>,
  millis: number,
  what: string,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      diag.warn(`@datum-telemetry/tracing: ${what} did not finish within ${millis} ms; giving up`);
      resolve();
    }, millis);
    // The deadline must not keep a process alive that has nothing else to do.
    timer.unref();
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error !== undefined) diag.error(`@datum-telemetry/tracing: ${what} failed`, error);
      resolve();
    };
    let promise: Promise<unknown>;
    try {
      promise = work();
    } catch (error) {
      finish(error ?? new Error('unknown error'));
      return;
    }
    promise.then(
      () => finish(),
      (error: unknown) => finish(error ?? new Error('unknown error')),
    );
  });
}
