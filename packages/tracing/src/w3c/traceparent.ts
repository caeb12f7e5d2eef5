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
const DASH = 0x2d;

/** The value of each lowercase hex digit (`HEXDIGLC`) by character code, -1 for the others. */
const LOWER_HEX = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) LOWER_HEX[digit.toString(16).charCodeAt(0)] = digit;

/** The value of a lowercase hex digit, or -1 for any other character code. */
function lowerHex(code: number): number {
  return code < 128 ? LOWER_HEX[code]! : -1;
}

/**
 * Whether `value[start, start + length)` is lowercase hex and not all zeros (the caller has
 * checked that the value is long enough).
 */
function isNonZeroLowerHex(value: string, start: number, length: number): boolean {
  let nonZero = false;
  for (let i = start; i < start + length; i++) {
    const digit = lowerHex(value.charCodeAt(i));
    if (digit === -1) return false;
    if (digit !== 0) nonZero = true;
  }
  return nonZero;
}

/** The byte of the two lowercase hex digits at `start`, or -1. */
function hexByte(value: string, start: number): number {
  const high = lowerHex(value.charCodeAt(start));
  const low = lowerHex(value.charCodeAt(start + 1));
  return high === -1 || low === -1 ? -1 : high * 16 + low;
}

/**
 * Parses a `traceparent` value as W3C Trace Context Level 1 §3.2.2 and §3.2.4 say: lowercase hex
 * only, version `ff` and all-zero ids refused, version `00` exactly 55 characters, a higher version
 * read by its first four fields when what follows the flags is nothing or a dash. Surrounding
 * optional whitespace is not part of the value. Flags other than the known ones are dropped.
 * Returns `undefined` for anything else: the caller then starts a new trace.
 */
export function parseTraceparent(header: string): Traceparent | undefined {
  // One pass over the characters, no regular expression: this runs on every incoming request.
  const value = trimOws(header);
  if (value.length < VERSION_00_LENGTH) return undefined;
  const version = hexByte(value, 0);
  if (version === -1 || version === 0xff) return undefined;
  if (
    value.charCodeAt(2) !== DASH ||
    value.charCodeAt(35) !== DASH ||
    value.charCodeAt(52) !== DASH
  ) {
    return undefined;
  }
  if (version === 0 ? value.length !== VERSION_00_LENGTH : !endsField(value)) return undefined;
  const flags = hexByte(value, 53);
  if (flags === -1) return undefined;
  if (!isNonZeroLowerHex(value, 3, 32) || !isNonZeroLowerHex(value, 36, 16)) return undefined;
  return {
    traceId: value.slice(3, 35),
    spanId: value.slice(36, 52),
    traceFlags: flags & KNOWN_TRACE_FLAGS,
  };
}

/** A future version: the flags end the value or are followed by a dash (§3.2.4). */
function endsField(value: string): boolean {
  return value.length === VERSION_00_LENGTH || value.charCodeAt(VERSION_00_LENGTH) === DASH;
}

/** `trace-flags` as written, by value of the known bits. */
const FLAGS = ['00', '01', '02', '03'] as const;

/**
 * The version-00 `traceparent` of a valid span context, unknown flag bits set to zero and the ids
 * in lower case (§3.2.2.3, §3.2.2.4: `HEXDIGLC`; the API's validity check ignores case, so a
 * custom id generator may hand us upper-case ids).
 */
export function formatTraceparent(spanContext: SpanContext): string {
  const flags = FLAGS[spanContext.traceFlags & KNOWN_TRACE_FLAGS];
  return `00-${lowerCase(spanContext.traceId)}-${lowerCase(spanContext.spanId)}-${flags}`;
}

/** Upper-case hex digits: the ids are hex already (the caller checked them valid). */
const UPPER_HEX = /[A-F]/;

/** `id` in lower case; the same string, not a copy, when it is (nearly always) already. */
function lowerCase(id: string): string {
  return UPPER_HEX.test(id) ? id.toLowerCase() : id;
}
