import { createLogger } from '../logger.js';
import { describeMismatch, mismatchedKeys, showMatch, summarize } from './match.js';
import { parseLogLines } from './parse-lines.js';
import type { LoggedRecord, RecordMatch, TestLogger, TestLoggerOptions } from './types.js';

/** How many records an assertion error lists. */
const LISTED = 20;

/**
 * A logger for tests: the real logger writing real JSON lines, into memory instead of stdout, so
 * that tests assert on what a service would really print.
 */
export function createTestLogger(options: TestLoggerOptions = {}): TestLogger {
  const lines: string[] = [];
  let parsed: LoggedRecord[] = [];
  const logger = createLogger({
    level: 'trace',
    service: 'test',
    ...options,
    stream: { write: (line: string) => lines.push(line) },
  });

  const records = (): readonly LoggedRecord[] => {
    if (parsed.length < lines.length) {
      parsed = parsed.concat(parseLogLines(lines.slice(parsed.length).join('')));
    }
    return parsed;
  };
  const matching = (match: RecordMatch) =>
    records().find((record) => mismatchedKeys(record, match).length === 0);

  return {
    logger,
    lines: () => [...lines],
    records: () => [...records()],
    find: (predicate) => records().find(predicate),
    clear: () => {
      lines.length = 0;
      parsed = [];
    },
    assertLogged(match) {
      const found = matching(match);
      if (found !== undefined) return found;
      const all = records();
      const listed = all
        .slice(0, LISTED)
        .map(
          (record, i) =>
            `  ${i + 1}. ${summarize(record)}\n     differs in ${describeMismatch(record, match)}`,
        )
        .join('\n');
      throw new Error(
        `expected a log record matching ${showMatch(match)}, but ${
          all.length === 0
            ? 'nothing was logged'
            : `none of the ${all.length} records matches:\n${listed}${all.length > LISTED ? `\n  ... and ${all.length - LISTED} more` : ''}`
        }`,
      );
    },
    assertNotLogged(match) {
      const found = matching(match);
      if (found !== undefined) {
        throw new Error(
          `expected no log record matching ${showMatch(match)}, but found ${summarize(found)}`,
        );
      }
    },
  };
}
