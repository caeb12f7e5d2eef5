export { CONTEXT_AWARE_LOGGER } from './context-aware.js';
export { escapeLineSeparators } from './json-line.js';
export { LINE_CORE_FIELDS, REDACTED } from './keys.js';
export { LeveledLogger } from './leveled-logger.js';
export type { LogLevelName, LogSeverity } from './levels.js';
export {
  LOG_LEVEL_EXPECTED,
  LOG_LEVEL_SETTINGS,
  LOG_LEVELS,
  LOG_SEVERITY,
  parseLogLevel,
  resolveLogLevel,
  SEVERITY_BY_BUNYAN_INDEX,
  SILENT_LEVEL,
} from './levels.js';
export type { LineStreamFailure, LogLineStream } from './line-stream.js';
export { LineWriter } from './line-stream.js';
export { TRACE_FLAGS } from './line-suffix.js';
export type { SerializedError } from './serialize-error.js';
export type {
  LogLineFields,
  LogLineOptions,
  LogLineRecord,
  LogLineSpanContext,
} from './types.js';
export {
  DEFAULT_MAX_STRING_LENGTH,
  errorLogField,
  LogLineHead,
  LogLineWriter,
} from './writer.js';
