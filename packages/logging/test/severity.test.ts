import { describe, expect, it } from 'vitest';
import { LOG_LEVELS, LOG_SEVERITY } from '../src/index.js';
import { capture } from './helpers.js';

// The OpenTelemetry log data model: TRACE 1-4, DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20,
// FATAL 21-24; each level maps to the first number of its range and its short name.
const OPENTELEMETRY = [
  ['trace', 1, 'TRACE', 10],
  ['debug', 5, 'DEBUG', 20],
  ['info', 9, 'INFO', 30],
  ['warn', 13, 'WARN', 40],
  ['error', 17, 'ERROR', 50],
  ['fatal', 21, 'FATAL', 60],
] as const;

describe('severity mapping', () => {
  it.each(OPENTELEMETRY)(
    '%s is severity %i (%s), bunyan level %i',
    (level, number, text, bunyan) => {
      expect(LOG_SEVERITY[level]).toEqual({
        level: bunyan,
        severityNumber: number,
        severityText: text,
      });
    },
  );

  it('is written on every line as severity_number and severity_text', () => {
    const { log, out } = capture();
    for (const level of LOG_LEVELS) log[level](level);
    expect(out.lines().map((line) => [line.msg, line.severity_number, line.severity_text])).toEqual(
      OPENTELEMETRY.map(([level, number, text]) => [level, number, text]),
    );
  });
});
