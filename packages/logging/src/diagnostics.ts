import { rules } from '@datum-telemetry/config';
import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { Logger } from './types.js';

/** The diag levels `logDiagnostics` can start from. */
export type DiagnosticsLevel = 'error' | 'warn' | 'info' | 'debug';

const LEVELS: Readonly<Record<DiagnosticsLevel, DiagLogLevel>> = {
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
};

/**
 * Sends OpenTelemetry's own diagnostics (`diag`: export failures, dropped spans and log records,
 * hook errors of the middleware) to this logger, as lines with `component: "opentelemetry"`.
 * Without it they go nowhere. The default level is `'warn'`.
 */
export function logDiagnostics(logger: Logger, level: DiagnosticsLevel = 'warn'): void {
  rules.oneOf(Object.keys(LEVELS)).check(level, 'level');
  const threshold = LEVELS[level];
  const log = logger.child({ component: 'opentelemetry' });
  const text = (message: string, args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    return { message, error };
  };
  const bridge: DiagLogger = {
    error: (message, ...args) => {
      const { error } = text(message, args);
      if (error) log.error(error, message);
      else log.error(message);
    },
    warn: (message, ...args) => {
      const { error } = text(message, args);
      if (error) log.warn(error, message);
      else log.warn(message);
    },
    info: (message) => log.info(message),
    debug: (message) => log.debug(message),
    verbose: (message) => log.trace(message),
  };
  diag.setLogger(bridge, { logLevel: threshold, suppressOverrideMessage: true });
}
