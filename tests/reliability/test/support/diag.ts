import { DiagLogLevel, diag } from '@opentelemetry/api';

export interface DiagCapture {
  /** `warn ...` and `error ...` lines, in order. */
  readonly messages: string[];
  stop(): void;
}

/** Keeps what the packages and the SDK report to the OpenTelemetry diag logger at warn and up. */
export function captureDiag(): DiagCapture {
  const messages: string[] = [];
  const keep =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      messages.push(
        [level, message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(
          ' ',
        ),
      );
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
