export { ConfigError } from '@datum-telemetry/config';
export type { DiagnosticsLevel } from './diagnostics.js';
export { logDiagnostics } from './diagnostics.js';
export { LOG_LEVELS, LOG_SEVERITY } from './levels.js';
export type { LogFile, LogFileOptions } from './log-file.js';
export { createLogFile } from './log-file.js';
export { createLogger } from './logger.js';
export { setupLogging } from './setup.js';
export type {
  LogBatchOptions,
  LogExporterKind,
  LogFields,
  Logger,
  LoggerOptions,
  LoggingHandle,
  LoggingOptions,
  LoggingSetup,
  LogLevelName,
  LogLevelSetting,
  LogMethod,
  LogSeverity,
  LogStream,
} from './types.js';
