import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { diag } from '@opentelemetry/api';
import type { Disposer } from './types.js';

type Handler = (message: unknown) => void;

/**
 * Subscribes guarded handlers to `node:diagnostics_channel` channels and returns the disposer.
 * Handlers run inside the app's own call (`fetch`, `http.request`): a failure is reported through
 * `diag` and never reaches the app.
 */
export function subscribeAll(handlers: Readonly<Record<string, Handler>>, what: string): Disposer {
  const subscribed: [string, (message: unknown) => void][] = [];
  for (const [channel, handler] of Object.entries(handlers)) {
    const guarded = (message: unknown) => {
      try {
        handler(message);
      } catch (error) {
        diag.error(`@datum-telemetry/tracing: ${what} failed on ${channel}`, error);
      }
    };
    subscribe(channel, guarded);
    subscribed.push([channel, guarded]);
  }
  return () => {
    for (const [channel, guarded] of subscribed.splice(0)) unsubscribe(channel, guarded);
  };
}

/** Runs a user's `ignore` hook inside a guard: a throwing hook means "trace it". */
export function shouldIgnore(
  ignore: ((request: { method: string; url: string }) => boolean) | undefined,
  method: string,
  url: string,
): boolean {
  if (ignore === undefined) return false;
  try {
    return ignore({ method, url }) === true;
  } catch (error) {
    diag.error('@datum-telemetry/tracing: the ignore hook threw; tracing the request', error);
    return false;
  }
}
