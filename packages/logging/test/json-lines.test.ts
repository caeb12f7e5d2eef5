import { describe, expect, it } from 'vitest';
import { toJsonLine } from '../src/json-lines.js';
import { KeyPolicy } from '../src/keys.js';
import { Sanitizer } from '../src/sanitize.js';

const sanitizer = new Sanitizer(new KeyPolicy([]), 100);

describe('toJsonLine', () => {
  it('falls back to a plain copy when JSON.stringify throws on a record', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const record = { level: 30, msg: 'm', time: new Date(0), v: 0, big: 5n, cyclic };
    const line = toJsonLine(record, undefined, sanitizer);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({
      msg: 'm',
      big: '5',
      cyclic: { a: 1, self: '[Circular]' },
      time: '1970-01-01T00:00:00.000Z',
      severity_text: 'INFO',
      severity_number: 9,
    });
  });

  it('appends the trace fields of a span context', () => {
    const record = { level: 50, msg: 'm', time: new Date(0) };
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    };
    expect(JSON.parse(toJsonLine(record, spanContext, sanitizer))).toEqual({
      level: 50,
      msg: 'm',
      time: '1970-01-01T00:00:00.000Z',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      trace_flags: '01',
      severity_text: 'ERROR',
      severity_number: 17,
    });
  });
});
