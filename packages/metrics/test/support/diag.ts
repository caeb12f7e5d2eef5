import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag } from '@opentelemetry/api';

export interface DiagEntry {
  readonly level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  readonly message: string;
}

/** Records what goes to the OpenTelemetry diag logger until `stop()`. */
export function captureDiag(): { entries: DiagEntry[]; text(): string; stop(): void } {
  const entries: DiagEntry[] = [];
  const record =
    (level: DiagEntry['level']) =>
    (message: string, ...args: unknown[]) => {
      entries.push({
        level,
        message: [message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(
          ' ',
        ),
      });
    };
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return {
    entries,
    text: () => entries.map((e) => `${e.level}: ${e.message}`).join('\n'),
    stop: () => diag.disable(),
  };
}
