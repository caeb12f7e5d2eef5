import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag } from '@opentelemetry/api';

export interface DiagCapture {
  readonly infos: string[];
  readonly warnings: string[];
  readonly errors: string[];
  restore(): void;
}

/** Collects what goes to the OpenTelemetry diag logger at info level and above. */
export function captureDiag(): DiagCapture {
  const infos: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const join = (message: string, args: unknown[]) =>
    [message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' ');
  const logger: DiagLogger = {
    error: (message, ...args) => errors.push(join(message, args)),
    warn: (message, ...args) => warnings.push(join(message, args)),
    info: (message, ...args) => infos.push(join(message, args)),
    debug: () => {},
    verbose: () => {},
  };
  diag.disable();
  diag.setLogger(logger, { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true });
  return { infos, warnings, errors, restore: () => diag.disable() };
}
