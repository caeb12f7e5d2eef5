export { parseLogLines } from './parse-lines.js';
export { createTestLogger } from './test-logger.js';
export type { LoggedRecord, RecordMatch, TestLogger, TestLoggerOptions } from './types.js';
