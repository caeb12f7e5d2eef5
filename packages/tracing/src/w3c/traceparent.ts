import type { SpanContext } from '@opentelemetry/api';
import { trimOws } from './ows.js';

/** The part of a `traceparent` that a span context keeps. */
export interface Traceparent {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

/** `sampled` (Level 1 §3.2.2.5.1) and `random-trace-id` (Level 2 §3.2.2.5.2): the bits we keep. */
export const KNOWN_TRACE_FLAGS = 0x03;

/** The length of a version-00 value: `2 + 1 + 32 + 1 + 16 + 1 + 2`. */
const VERSION_00_LENGTH = 55;
const LOWER_HEX = /^[0-9a-f]+$/;
const ZERO = /^0+$/;

function field(value: string, start: number, length: number): string | undefined {
  const text = value.slice(start, start + length);
  return text.length === length && LOWER_HEX.test(text) ? text : undefined;
}

/**
 * Parses a `traceparent` value as W3C Trace Context Level 1 §3.2.2 and §3.2.4 say: lowercase hex
 * only, version `ff` and all-zero ids refused, version `00` exactly 55 characters, a higher version
 * read by its first four fields when what follows the flags is nothing or a dash. Surrounding
 * optional whitespace is not part of the value. Flags other than the known ones are dropped.
 * Returns `undefined` for anything else: the caller then starts a new trace.
 */
export function parseTraceparent(header: string): Traceparent | undefined {
  const value = trimOws(header);
  if (value.length < VERSION_00_LENGTH) return undefined;
  const version = field(value, 0, 2);
  if (version === undefined || version === 'ff') return undefined;
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  if (version === '00' ? value.length !== VERSION_00_LENGTH : !endsField(value)) return undefined;
  const traceId = field(value, 3, 32);
  const spanId = field(value, 36, 16);
  const flags = field(value, 53, 2);
  if (traceId === undefined || spanId === undefined || flags === undefined) return undefined;
  if (ZERO.test(traceId) || ZERO.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & KNOWN_TRACE_FLAGS };
}

/** A future version: the flags end the value or are followed by a dash (§3.2.4). */
function endsField(value: string): boolean {
  return value.length === VERSION_00_LENGTH || value[VERSION_00_LENGTH] === '-';
}

/** The version-00 `traceparent` of a valid span context, unknown flag bits set to zero. */
export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & KNOWN_TRACE_FLAGS).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}
