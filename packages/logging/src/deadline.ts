import { diag } from '@opentelemetry/api';

/**
 * Waits for `work` at most `timeoutMillis`, then resolves anyway. Never rejects: a failure or a
 * timeout goes to `diag`, because flushing telemetry must never fail the app's own shutdown.
 */
export async function withDeadline(
  work: () => Promise<unknown>,
  timeoutMillis: number,
  what: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(work), deadline]);
    if (outcome === 'timeout') {
      diag.warn(`@datum-telemetry/logging: ${what} did not finish within ${timeoutMillis} ms`);
    }
  } catch (error) {
    diag.error(`@datum-telemetry/logging: ${what} failed`, error);
  } finally {
    clearTimeout(timer);
  }
}
