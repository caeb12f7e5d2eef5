// checkSloSection: the one home of the SLO checks (defineMetrics and `datum-telemetry alerts` both
// call it). Each bad input gets a ConfigError naming the field.
import { describe, expect, it } from 'vitest';
import { ConfigError, checkSloSection } from '../src/index.js';

const context = { resources: new Map([['vm', [0.1, 0.25, 1]]]) };
const runbookUrl = 'https://runbooks.example.com/vm';

describe('checkSloSection', () => {
  it('returns a valid section as it is, and skips an objective left undefined', () => {
    const section = {
      vmAvailability: { resource: 'vm', availability: 99.9, runbookUrl },
      vmLatency: {
        resource: 'vm',
        operation: 'Get',
        latency: { threshold: 0.25, target: 99 },
        runbookUrl,
      },
      later: undefined,
    };
    expect(checkSloSection(section, context)).toBe(section);
  });

  it.each([
    [{ a: { resource: 'vm', availability: 99.99999, runbookUrl } }, null],
    [{ a: { resource: 'vm', availability: 100, runbookUrl } }, 'slo.a.availability'],
    [{ a: { resource: 'vm', availability: '99', runbookUrl } }, 'slo.a.availability'],
    [{ a: { resource: 'vm', latency: { threshold: 0.25 }, runbookUrl } }, 'slo.a.latency.target'],
    [
      { a: { resource: 'vm', latency: { threshold: 0.5, target: 99 }, runbookUrl } },
      'slo.a.latency.threshold',
    ],
    [{ a: { resource: 'vm', operation: 'get', availability: 99, runbookUrl } }, 'slo.a.operation'],
    [{ a: { resource: 'disk', availability: 99, runbookUrl } }, 'slo.a.resource'],
    [{ a: { resource: 'vm', availability: 99, runbookUrl: 'ftp://x' } }, 'slo.a.runbookUrl'],
    [{ a: { resource: 'vm', availability: 99, runbookUrl, extra: 1 } }, 'slo.a.extra'],
    [[], 'slo'],
  ])('%j: %s', (section, option) => {
    if (option === null) {
      expect(() => checkSloSection(section, context)).not.toThrow();
      return;
    }
    try {
      checkSloSection(section, context);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
    }
  });

  it('names the bucket boundaries when a threshold is none of them', () => {
    expect(() =>
      checkSloSection(
        { a: { resource: 'vm', latency: { threshold: 0.3, target: 99 }, runbookUrl } },
        context,
      ),
    ).toThrow(/use one of 0\.1, 0\.25, 1$/);
  });
});

describe('checkSloSection without resources (one part of a merged definition)', () => {
  it('checks shape and targets, not the resource or the threshold', () => {
    const section = {
      a: { resource: 'disk', latency: { threshold: 0.3, target: 99 }, runbookUrl },
    };
    expect(checkSloSection(section, {})).toBe(section);
    expect(() => checkSloSection(section, context)).toThrow(ConfigError);
    expect(() =>
      checkSloSection({ a: { resource: 'disk', availability: 100, runbookUrl } }, {}),
    ).toThrow(/slo\.a\.availability: got 100/);
  });
});
