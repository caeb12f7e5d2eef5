import { checkLogFields } from '@datum-telemetry/conventions';
import { LINE_CORE_FIELDS } from '@datum-telemetry/conventions/log-line';
import type { CapturedLine } from '../types.js';
import { q } from './collector.js';
import type { CheckInput } from './input.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** A time window, in ms since the epoch, during which the service was handling a request. */
type Window = readonly [start: number, end: number];

function requestWindows(input: CheckInput): Window[] {
  const windows: Window[] = [];
  for (const span of input.collected.spans ?? []) {
    if (span.kind !== 'SERVER') continue;
    windows.push([
      Number(span.startTimeUnixNano / 1_000_000n),
      // The end is rounded up: a line stamped in the span's last millisecond is inside it.
      Number((span.endTimeUnixNano + 999_999n) / 1_000_000n),
    ]);
  }
  for (const r of input.collected.requests ?? []) windows.push([r.startMs, r.endMs]);
  return windows;
}

function inside(windows: readonly Window[], ms: number): boolean {
  return windows.some(([start, end]) => ms >= start && ms <= end);
}

/** The time of a JSON line: bunyan's ISO `time`, or pino's epoch milliseconds. */
function lineTime(fields: Readonly<Record<string, unknown>>): number | undefined {
  const time = fields.time;
  if (typeof time === 'string') {
    const ms = Date.parse(time);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof time === 'number' && Number.isFinite(time)) return time > 1e12 ? time : time * 1000;
  return undefined;
}

/** How a log line is named in a finding: its message, cut short. */
export function lineLabel(fields: Readonly<Record<string, unknown>>): string {
  const msg =
    typeof fields.msg === 'string'
      ? fields.msg
      : typeof fields.message === 'string'
        ? fields.message
        : '';
  const text = msg === '' ? '(no message)' : msg;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function bodyLabel(body: unknown): string {
  const text =
    typeof body === 'string'
      ? body
      : body === undefined
        ? '(no body)'
        : (JSON.stringify(body) ?? '');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function checkFields(
  input: CheckInput,
  fields: Readonly<Record<string, unknown>>,
  where: string,
): void {
  for (const f of checkLogFields(fields)) {
    // Secret fields are judged by their values, in the `secrets` check.
    if (f.rule !== 'log.field.standard-name') continue;
    input.out.add({
      check: 'logs.fields',
      signal: 'logs',
      rule: f.rule,
      // `name` or `kind` may mean something else than the resource's: likely, not certainly, wrong.
      level: 'warning',
      name: f.name,
      message: `${f.message} (${where})`,
      ...(f.suggestion === undefined ? {} : { suggestion: f.suggestion }),
    });
  }
}

function missingTrace(input: CheckInput, label: string, where: string, malformed: boolean): void {
  input.out.add({
    check: 'logs.trace-context',
    signal: 'logs',
    rule: 'log.trace-context.missing',
    level: 'violation',
    name: label,
    message: `${where} ${q(label)} was written while a request was handled but carries ${malformed ? 'a malformed' : 'no'} trace_id/span_id: log through the request's logger (req.log / ctx.log) or a @datum-telemetry/logging logger, which add them inside a span`,
  });
}

function userFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (!LINE_CORE_FIELDS.has(k)) out[k] = v;
  return out;
}

function checkLines(
  input: CheckInput,
  lines: readonly CapturedLine[],
  windows: readonly Window[],
): void {
  for (const line of lines) {
    const { fields } = line;
    if (fields === undefined) {
      if (line.text.trim() !== '') {
        input.out.add({
          check: 'logs.fields',
          signal: 'logs',
          rule: 'log.format.not-json',
          level: 'info',
          name: line.stream,
          message: `the service wrote lines on ${line.stream} that are not JSON: write logs as JSON lines (the bunyan format of @datum-telemetry/logging) so they can be collected and tied to traces`,
        });
      }
      continue;
    }
    const label = lineLabel(fields);
    checkFields(input, userFields(fields), `the log line ${q(label)}`);
    const traceId = fields.trace_id;
    const spanId = fields.span_id;
    if (
      typeof traceId === 'string' &&
      TRACE_ID.test(traceId) &&
      typeof spanId === 'string' &&
      SPAN_ID.test(spanId)
    ) {
      continue;
    }
    const time = lineTime(fields);
    if (time !== undefined && inside(windows, time)) {
      missingTrace(input, label, 'the log line', traceId !== undefined || spanId !== undefined);
    }
  }
}

/** `logs.fields` and `logs.trace-context`, for OTLP log records and JSON lines on stdout/stderr. */
export function checkLogs(input: CheckInput): void {
  const windows = requestWindows(input);
  for (const record of input.collected.logs ?? []) {
    const label = record.eventName ?? bodyLabel(record.body);
    checkFields(input, record.attributes, `the log record ${q(label)}`);
    if (record.traceId !== undefined && record.spanId !== undefined) continue;
    const ms = Number(
      (record.timeUnixNano === 0n ? record.observedTimeUnixNano : record.timeUnixNano) / 1_000_000n,
    );
    if (inside(windows, ms)) missingTrace(input, label, 'the log record', false);
  }
  checkLines(input, input.collected.lines ?? [], windows);
}
