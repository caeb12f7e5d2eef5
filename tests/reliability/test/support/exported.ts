import type { OtlpSink } from '@datum-telemetry/otlp-sink';

/**
 * Everything the sink received (spans, metrics, logs, with their resources, scopes, attributes,
 * events and bodies) as one JSON text. Times and large integers are `bigint`s and bytes are
 * `Uint8Array`s: they are written as decimal and UTF-8 text, so that a search sees every value.
 */
export function exportedText(sink: OtlpSink): string {
  return JSON.stringify(
    { spans: sink.spans(), metrics: sink.metrics(), logs: sink.logs() },
    (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
      return value;
    },
  );
}

/** Each place `needle` occurs in `text`, with some context either side (empty when none). */
export function occurrences(text: string, needle: string, context = 120): string[] {
  const found: string[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    found.push(text.slice(Math.max(0, at - context), at + needle.length + context));
  }
  return found;
}
