// What the exemplars of a ResourceMetrics-shaped input must decode to, computed from the input
// independently of the encoders (no code of src/), and a walker that takes the decoded exemplars
// out of a request so that the rest can be compared with the stock transformer's output.

type Json = Record<string, unknown>;
const KINDS = ['sum', 'gauge', 'histogram', 'exponentialHistogram'] as const;

/** The input's exemplars that must survive, per data point in document order. */
export function survivingExemplars(metrics: Json): { valueType: number; exemplar: Json }[][] {
  const out: { valueType: number; exemplar: Json }[][] = [];
  for (const scope of metrics.scopeMetrics as Json[]) {
    for (const metric of scope.metrics as Json[]) {
      const valueType = (metric.descriptor as Json).valueType as number;
      for (const point of metric.dataPoints as Json[]) {
        const list = Array.isArray(point.exemplars) ? (point.exemplars as unknown[]) : [];
        out.push(
          list.filter(isGood).map((exemplar) => ({ valueType, exemplar: exemplar as Json })),
        );
      }
    }
  }
  return out;
}

const HEX32 = /^[0-9a-f]{32}$/i;
const HEX16 = /^[0-9a-f]{16}$/i;

/** The rules of OtlpExemplar, restated: finite value, HrTime, valid ids or none. */
function isGood(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Json;
  const time = e.time;
  const timeOk =
    Array.isArray(time) &&
    time.length === 2 &&
    Number.isSafeInteger(time[0]) &&
    time[0] >= 0 &&
    Number.isSafeInteger(time[1]) &&
    time[1] >= 0 &&
    time[1] < 1e9;
  const noIds = e.traceId === undefined && e.spanId === undefined;
  const ids =
    typeof e.traceId === 'string' &&
    HEX32.test(e.traceId) &&
    !/^0+$/.test(e.traceId) &&
    typeof e.spanId === 'string' &&
    HEX16.test(e.spanId) &&
    !/^0+$/.test(e.spanId);
  return typeof e.value === 'number' && Number.isFinite(e.value) && timeOk && (noIds || ids);
}

function nanos(time: [number, number]): string {
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

const asInt = (valueType: number, value: number) => valueType === 0 && Number.isSafeInteger(value);
const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/** An exemplar as protobufjs decodes it (longs as strings, bytes as base64, no defaults). */
export function protobufExemplar(valueType: number, e: Json): Json {
  const out: Json = {};
  // protobufjs leaves a zero fixed64 out of its object (defaults: false).
  const time = nanos(e.time as [number, number]);
  if (time !== '0') out.timeUnixNano = time;
  const value = e.value as number;
  if (asInt(valueType, value)) out.asInt = String(value);
  else out.asDouble = value;
  if (e.traceId !== undefined) {
    out.spanId = base64(e.spanId as string);
    out.traceId = base64(e.traceId as string);
  }
  const attributes = Object.entries((e.filteredAttributes ?? {}) as Json).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : { intValue: String(v) },
  }));
  if (attributes.length > 0) out.filteredAttributes = attributes;
  return out;
}

/** An exemplar as OTLP/JSON has it (ids lowercase hex), through JSON as a parser sees it. */
export function jsonExemplar(valueType: number, e: Json): Json {
  const value = e.value as number;
  const out: Json = {
    filteredAttributes: Object.entries((e.filteredAttributes ?? {}) as Json).map(([key, v]) => ({
      key,
      value:
        typeof v === 'string'
          ? { stringValue: v }
          : typeof v === 'boolean'
            ? { boolValue: v }
            : { intValue: v },
    })),
    timeUnixNano: nanos(e.time as [number, number]),
    [asInt(valueType, value) ? 'asInt' : 'asDouble']: value,
  };
  if (e.traceId !== undefined) {
    out.spanId = (e.spanId as string).toLowerCase();
    out.traceId = (e.traceId as string).toLowerCase();
  }
  return JSON.parse(JSON.stringify(out)) as Json;
}

/**
 * Removes `exemplars` from every data point of a decoded request (protobufjs object or parsed
 * JSON), returning them per point in document order (`[]` for a point without).
 */
export function takeExemplars(request: Json): Json[][] {
  const out: Json[][] = [];
  for (const resource of (request.resourceMetrics as Json[] | undefined) ?? []) {
    for (const scope of (resource.scopeMetrics as Json[] | undefined) ?? []) {
      for (const metric of (scope.metrics as Json[] | undefined) ?? []) {
        for (const kind of KINDS) {
          const data = metric[kind] as Json | undefined;
          if (data === undefined) continue;
          for (const point of (data.dataPoints as Json[] | undefined) ?? []) {
            out.push((point.exemplars as Json[] | undefined) ?? []);
            delete point.exemplars;
          }
        }
      }
    }
  }
  return out;
}
