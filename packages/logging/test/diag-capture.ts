import { DiagLogLevel, diag } from '@opentelemetry/api';

/** Collects what the package reports to the OpenTelemetry diag logger. */
export function captureDiag(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const keep =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      messages.push(`${level} ${message} ${args.map((a) => String(a)).join(' ')}`);
  diag.setLogger(
    {
      error: keep('error'),
      warn: keep('warn'),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { messages, stop: () => diag.disable() };
}
