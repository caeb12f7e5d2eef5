import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import type { OtlpExemplar } from './metric-data.js';

/** `[seconds, nanoseconds]`: whole non-negative seconds, whole nanoseconds below one second. */
function isHrTime(value: unknown): value is readonly [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    value[0] >= 0 &&
    Number.isSafeInteger(value[1]) &&
    value[1] >= 0 &&
    value[1] < 1e9
  );
}

/** Absent, or a valid id. */
function optionalId(value: unknown, valid: (id: string) => boolean): boolean {
  return value === undefined || (typeof value === 'string' && valid(value));
}

/**
 * True for an exemplar the encoders can write truthfully (see {@link OtlpExemplar}): a finite
 * value, an HrTime, and trace and span ids that are valid or both absent. A lone id (a span id
 * without its trace) is not an exemplar's span either.
 */
export function isWritableExemplar(exemplar: unknown): exemplar is OtlpExemplar {
  if (typeof exemplar !== 'object' || exemplar === null) return false;
  const e = exemplar as Partial<Record<keyof OtlpExemplar, unknown>>;
  return (
    typeof e.value === 'number' &&
    Number.isFinite(e.value) &&
    isHrTime(e.time) &&
    optionalId(e.traceId, isValidTraceId) &&
    optionalId(e.spanId, isValidSpanId) &&
    (e.traceId === undefined) === (e.spanId === undefined)
  );
}

const NONE: readonly OtlpExemplar[] = [];

/**
 * The writable exemplars of a data point: those of its `exemplars` array that pass
 * {@link isWritableExemplar}; none when it has no such array (the SDK's own points).
 */
export function writableExemplars(point: object): readonly OtlpExemplar[] {
  const exemplars = (point as { readonly exemplars?: unknown }).exemplars;
  if (!Array.isArray(exemplars) || exemplars.length === 0) return NONE;
  return exemplars.filter(isWritableExemplar);
}

/** The exemplar's filtered attributes when they are an object, else none. */
export function filteredAttributesOf(exemplar: OtlpExemplar): Readonly<Record<string, unknown>> {
  const attributes: unknown = exemplar.filteredAttributes;
  return typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)
    ? (attributes as Record<string, unknown>)
    : {};
}

/**
 * Whether the exemplar's value goes in `as_int`: on an integer instrument (`valueType` 0, the
 * API's `ValueType.INT`) when the value is a safe integer; `as_double` otherwise.
 */
export function exemplarAsInt(valueType: number, value: number): boolean {
  return valueType === 0 && Number.isSafeInteger(value);
}
