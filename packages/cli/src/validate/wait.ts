/**
 * Resolves after `ms` (an infinite `ms` waits for the signal alone), or at once when `signal`
 * aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    // setTimeout treats anything above 2^31-1 (Infinity too) as 1 ms.
    if (Number.isFinite(ms)) timer = setTimeout(done, Math.min(ms, 2_147_483_647));
    signal?.addEventListener('abort', done, { once: true });
  });
}
