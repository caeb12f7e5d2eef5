import { setTimeout as sleep } from 'node:timers/promises';
import type { decodeOtlpRequest } from './decode.js';
import { describeReceived } from './describe.js';
import { resolveResponseMode } from './response-mode.js';
import type {
  SinkLogRecord,
  SinkMetric,
  SinkRejectedRequest,
  SinkRequest,
  SinkResponseMode,
  SinkSpan,
} from './types.js';

/**
 * What the receivers share: what arrived (items, requests, refusals), how the next requests are to
 * be answered (`respondWith`), how many are being answered, and whether the sink is closing.
 */
export class SinkStore {
  readonly spans: SinkSpan[] = [];
  readonly metrics: SinkMetric[] = [];
  readonly logs: SinkLogRecord[] = [];
  readonly requests: SinkRequest[] = [];
  readonly rejected: SinkRejectedRequest[] = [];
  /** Requests that have arrived and not been answered yet. */
  pending = 0;
  private mode: SinkResponseMode | undefined;
  private modeUsesLeft = Number.POSITIVE_INFINITY;
  private readonly closing = new AbortController();

  /** Sets how the next requests are answered; `undefined` restores normal answers. */
  respondWith(next: SinkResponseMode | undefined): void {
    this.mode = resolveResponseMode(next);
    this.modeUsesLeft = this.mode?.times ?? Number.POSITIVE_INFINITY;
  }

  /** The mode for the request that just arrived, counting it against `times`. */
  takeMode(): SinkResponseMode | undefined {
    const current = this.mode;
    if (current !== undefined && --this.modeUsesLeft <= 0) this.mode = undefined;
    return current;
  }

  /** Stores what a request carried, once decoded. */
  store(decoded: ReturnType<typeof decodeOtlpRequest>): void {
    // A loop, not push(...items): a 20 MiB body can hold more items than a call takes arguments.
    if (decoded.signal === 'traces') for (const span of decoded.spans) this.spans.push(span);
    else if (decoded.signal === 'metrics')
      for (const metric of decoded.metrics) this.metrics.push(metric);
    else for (const record of decoded.logs) this.logs.push(record);
  }

  /** Forgets everything received. */
  clear(): void {
    this.spans.length = 0;
    this.metrics.length = 0;
    this.logs.length = 0;
    this.requests.length = 0;
    this.rejected.length = 0;
  }

  /** What arrived, for the message of a `waitFor` that timed out. */
  describe(): string {
    return describeReceived(this);
  }

  /** Cuts every delayed answer short: the sink is closing. */
  close(): void {
    this.closing.abort();
  }

  /**
   * Waits `delayMs` before an answer (`respondWith({ delayMs })`); resolves with why the wait was
   * cut short (the sink closing, the client gone), or undefined when it ran its course.
   */
  async delayAnswer(delayMs: number, clientGone: AbortSignal): Promise<string | undefined> {
    try {
      await sleep(delayMs, undefined, {
        signal: AbortSignal.any([this.closing.signal, clientGone]),
      });
      return undefined;
    } catch {
      return this.closing.signal.aborted
        ? 'the sink closed while the answer was delayed'
        : `the client went away during the ${delayMs} ms delay`;
    }
  }
}
