import type { SinkResponseMode } from './types.js';

const KEYS = new Set(['status', 'retryAfterSeconds', 'delayMs', 'destroy', 'times']);

function reject(option: string, expected: string, got: unknown): never {
  throw new TypeError(
    `respondWith: ${option} must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`,
  );
}

function isInteger(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Checks a mode when it is set, so a typo such as `{ delay: 500 }` fails the test that wrote it
 * instead of silently answering normally. Returns a frozen copy, or `undefined` for normal answers.
 */
export function resolveResponseMode(
  mode: SinkResponseMode | undefined | null,
): SinkResponseMode | undefined {
  if (mode === undefined || mode === null) return undefined;
  if (typeof mode !== 'object' || Array.isArray(mode)) {
    reject('the mode', 'an object such as { status: 503 } or undefined', mode);
  }
  for (const key of Object.keys(mode)) {
    if (!KEYS.has(key)) {
      reject(`"${key}"`, `one of ${[...KEYS].join(', ')} (unknown option)`, key);
    }
  }
  const { status, retryAfterSeconds, delayMs, destroy, times } = mode;
  if (status !== undefined && !isInteger(status, 200, 599))
    reject('status', 'an integer from 200 to 599', status);
  if (retryAfterSeconds !== undefined && !isInteger(retryAfterSeconds, 0)) {
    reject('retryAfterSeconds', 'a whole number of seconds >= 0', retryAfterSeconds);
  }
  if (
    delayMs !== undefined &&
    !(typeof delayMs === 'number' && Number.isFinite(delayMs) && delayMs >= 0)
  ) {
    reject('delayMs', 'a number of milliseconds >= 0', delayMs);
  }
  if (destroy !== undefined && typeof destroy !== 'boolean')
    reject('destroy', 'true or false', destroy);
  if (times !== undefined && !isInteger(times, 1)) reject('times', 'an integer >= 1', times);
  if (destroy === true && status !== undefined) {
    reject('status', 'left out when destroy is true (a cut connection has no status)', status);
  }
  return Object.freeze({ ...mode });
}
