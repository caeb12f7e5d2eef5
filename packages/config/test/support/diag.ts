import { DiagLogLevel, diag } from '@opentelemetry/api';

/** Collects what goes to `diag.warn` and `diag.error` until `stop()`. */
export function captureWarnings(): { readonly messages: string[]; stop(): void } {
  const messages: string[] = [];
  const keep = (message: string) => {
    messages.push(message);
  };
  diag.setLogger(
    { error: keep, warn: keep, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { messages, stop: () => diag.disable() };
}
