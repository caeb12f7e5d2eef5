import { isDeepStrictEqual } from 'node:util';
import { LOG_SEVERITY } from '../levels.js';
import type { LogLevelName } from '../types.js';
import type { LoggedRecord, RecordMatch } from './types.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function matchesValue(expected: unknown, actual: unknown): boolean {
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual);
  if (typeof expected === 'function') return Boolean((expected as (v: unknown) => unknown)(actual));
  if (isPlainObject(expected)) {
    return (
      isPlainObject(actual) &&
      Object.keys(expected).every((key) => matchesValue(expected[key], actual[key]))
    );
  }
  return isDeepStrictEqual(expected, actual);
}

function expectedFor(key: string, expected: unknown): unknown {
  if (key === 'level' && typeof expected === 'string' && expected in LOG_SEVERITY) {
    return LOG_SEVERITY[expected as LogLevelName].level;
  }
  return expected;
}

/** The keys of `match` that `record` does not satisfy (none: it matches). */
export function mismatchedKeys(record: LoggedRecord, match: RecordMatch): string[] {
  return Object.keys(match).filter(
    (key) => !matchesValue(expectedFor(key, match[key]), record[key]),
  );
}

function show(value: unknown): string {
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'function') return '[predicate]';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The match, as the error messages show it. */
export function showMatch(match: RecordMatch): string {
  return `{ ${Object.keys(match)
    .map((key) => `${JSON.stringify(key)}: ${show(match[key])}`)
    .join(', ')} }`;
}

const SUMMARY_HIDDEN = new Set(['name', 'hostname', 'pid', 'time', 'v', 'severity_number']);

/** One record on one line, without the fields every record has. */
export function summarize(record: LoggedRecord): string {
  const shown: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (!SUMMARY_HIDDEN.has(key)) shown[key] = record[key];
  const text = show(shown);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** How a record differs from a match, field by field. */
export function describeMismatch(record: LoggedRecord, match: RecordMatch): string {
  return mismatchedKeys(record, match)
    .map(
      (key) =>
        `${key}: expected ${show(expectedFor(key, match[key]))}, got ${key in record ? show(record[key]) : 'nothing'}`,
    )
    .join('; ');
}
