import { diag } from '@opentelemetry/api';
import { shown } from './errors.js';

/**
 * Reports an environment value that cannot be used, through `diag.warn`, as the OpenTelemetry SDK
 * specification asks: the value is ignored and the default used, never a crash (one bad variable
 * set for a whole cluster must not crash-loop every pod). `using` says what is used instead.
 * Invalid code options throw a `ConfigError` at set-up instead.
 */
export function warnInvalidEnv(
  variable: string,
  value: string | undefined,
  expected: string,
  using: string,
): void {
  diag.warn(
    `@datum-telemetry: ${variable}: got ${shown(value)}; expected ${expected}; ignored, using ${using}`,
  );
}
