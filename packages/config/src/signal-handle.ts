import { ConfigError, shown } from './errors.js';
import { isSdkDisabled } from './resource.js';
import type { Env } from './types.js';

/**
 * What `setupTracing`, `setupMetrics` and `setupLogging` all return, beside their signal's own
 * members and their count of what they dropped (`droppedSpans`, `droppedAttributes`,
 * `droppedLogRecords`: since set-up, also reported through `diag.warn` and a self-metric).
 */
export interface SignalHandle<ExporterKind extends string = string> {
  /**
   * `false` when the signal is turned off (the `disabled` option, else `OTEL_SDK_DISABLED=true`):
   * nothing is exported and the members do nothing.
   */
  readonly enabled: boolean;
  /**
   * The exporter chosen after the options and `OTEL_*` variables were read: `otlp`, `console`,
   * `none`, ... (`none` when disabled).
   */
  readonly exporter: ExporterKind;
  /** Exports what is pending. Resolves within the shutdown deadline; never rejects (errors go to `diag`). */
  forceFlush(): Promise<void>;
  /**
   * Flushes and stops the export. Resolves within the shutdown deadline; never rejects; calling it
   * again returns the same promise.
   */
  shutdown(): Promise<void>;
}

/**
 * Whether a signal is turned off: the `disabled` option, else `OTEL_SDK_DISABLED=true`. Throws a
 * `ConfigError` for a `disabled` that is not a boolean.
 */
export function resolveDisabled(option: unknown, env: Env = process.env): boolean {
  if (option === undefined) return isSdkDisabled(env);
  if (typeof option !== 'boolean') {
    throw new ConfigError('disabled', `got ${shown(option)}; expected true or false`);
  }
  return option;
}
