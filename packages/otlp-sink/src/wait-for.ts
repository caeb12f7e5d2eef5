import { setTimeout as sleep } from 'node:timers/promises';
import type { WaitForOptions } from './types.js';

function check(option: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new TypeError(
      `waitFor: ${option} must be a number of milliseconds >= 0, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Polls `predicate` until it is truthy. Polling instead of events keeps it usable with any condition
 * over the sink's lists; `describe` is called only on timeout, to say what did arrive.
 */
export async function waitFor(
  predicate: () => unknown,
  options: WaitForOptions,
  describe: () => string,
): Promise<void> {
  const timeoutMs = check('timeoutMs', options.timeoutMs ?? 5000);
  const intervalMs = check('intervalMs', options.intervalMs ?? 20);
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await predicate()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const cause =
        lastError === undefined
          ? ''
          : ` The predicate last threw: ${lastError instanceof Error ? lastError.message : String(lastError)}.`;
      throw new Error(
        `waitFor: the condition was not met within ${timeoutMs} ms.${cause} ${describe()}`,
      );
    }
    await sleep(Math.min(intervalMs, remaining));
  }
}
