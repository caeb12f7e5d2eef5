import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import type { AttributeValue, HrTime } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode, hrTimeToMicroseconds } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ConsoleExporterOptions, ConsoleFormat } from './types.js';

/** The options of {@link ReadableConsoleSpanExporter} (`console` in `setupTracing`). */
export const consoleOptionRules: OptionsSchema<ConsoleExporterOptions> = {
  format: rules.oneOf(['text', 'json']),
  write: rules.function,
  maxAttributes: rules.integer(0, Number.MAX_SAFE_INTEGER, 'an integer of 0 or more'),
};

/** Attributes a text line shows first, in this order, when the span has them. */
const KEY_ATTRIBUTES = [
  'resource.kind',
  'resource.namespace',
  'resource.name',
  'resource.apiVersion',
  'http.request.method',
  'http.route',
  'url.full',
  'server.address',
  'server.port',
  'http.response.status_code',
  'error.type',
];
const KEY_ATTRIBUTE_SET = new Set(KEY_ATTRIBUTES);
const BARE_VALUE = /^[A-Za-z0-9_./:@%+-]+$/;

function kindName(kind: SpanKind): string {
  return (SpanKind[kind] ?? 'INTERNAL').toLowerCase();
}

function statusName(code: SpanStatusCode): string {
  return code === SpanStatusCode.ERROR ? 'ERROR' : code === SpanStatusCode.OK ? 'OK' : 'UNSET';
}

function durationMillis(duration: HrTime): number {
  return hrTimeToMicroseconds(duration) / 1000;
}

function showDuration(millis: number): string {
  return `${millis.toFixed(millis < 10 ? 2 : millis < 1000 ? 1 : 0)}ms`;
}

function showValue(value: AttributeValue | undefined): string {
  if (typeof value === 'string') return BARE_VALUE.test(value) ? value : JSON.stringify(value);
  return typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

/**
 * One line per span: name, kind, duration, status, ids, then the key attributes.
 * `ReconcileVirtualMachine internal 1.52ms ERROR "boom" trace=4bf9… span=00f0… parent=- resource.kind=VirtualMachine`
 */
export function formatSpanText(span: ReadableSpan, maxAttributes: number): string {
  const context = span.spanContext();
  const parts = [
    span.name,
    kindName(span.kind),
    showDuration(durationMillis(span.duration)),
    statusName(span.status.code),
  ];
  if (span.status.code === SpanStatusCode.ERROR && span.status.message) {
    parts.push(JSON.stringify(span.status.message));
  }
  parts.push(
    `trace=${context.traceId}`,
    `span=${context.spanId}`,
    `parent=${span.parentSpanContext?.spanId ?? '-'}`,
  );
  const attributes = span.attributes;
  for (const key of KEY_ATTRIBUTES) {
    if (attributes[key] !== undefined) parts.push(`${key}=${showValue(attributes[key])}`);
  }
  let shown = 0;
  let hidden = 0;
  for (const key of Object.keys(attributes)) {
    if (KEY_ATTRIBUTE_SET.has(key) || attributes[key] === undefined) continue;
    if (shown < maxAttributes) {
      parts.push(`${key}=${showValue(attributes[key])}`);
      shown++;
    } else {
      hidden++;
    }
  }
  if (hidden > 0) parts.push(`+${hidden} attributes`);
  return parts.join(' ');
}

/** One JSON object per span, for machines. */
export function formatSpanJson(span: ReadableSpan): string {
  const context = span.spanContext();
  return JSON.stringify({
    name: span.name,
    kind: kindName(span.kind),
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    startTimeUnixMicros: hrTimeToMicroseconds(span.startTime),
    durationMs: durationMillis(span.duration),
    status: { code: statusName(span.status.code), message: span.status.message },
    attributes: span.attributes,
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixMicros: hrTimeToMicroseconds(event.time),
      attributes: event.attributes,
    })),
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      attributes: link.attributes,
    })),
    scope: span.instrumentationScope.name,
    service: span.resource.attributes['service.name'],
  });
}

/**
 * Characters that end a line for some reader: C0 controls (a raw newline in a span name or an
 * attribute key), DEL and C1 controls (U+0085, NEL, is what a Latin-1 request header byte 0x85
 * becomes), U+2028 and U+2029. JSON leaves the last two groups raw; escaping them as JSON does the
 * others keeps quoted values parseable and every span on one line, whatever a client sent.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function oneLine(line: string): string {
  return line.replace(LINE_BREAKING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function writeToStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * The embedded default exporter: spans readable on the console, one line each, instead of the
 * SDK's multi-line object dumps.
 */
export class ReadableConsoleSpanExporter implements SpanExporter {
  private readonly format: ConsoleFormat;
  private readonly write: (line: string) => void;
  private readonly maxAttributes: number;

  /** Throws a `ConfigError` naming a bad option. */
  constructor(options: ConsoleExporterOptions = {}) {
    validateOptions<ConsoleExporterOptions>(options, consoleOptionRules);
    this.format = options.format ?? 'text';
    this.write = options.write ?? writeToStdout;
    this.maxAttributes = options.maxAttributes ?? 8;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      for (const span of spans) {
        this.write(
          oneLine(
            this.format === 'json'
              ? formatSpanJson(span)
              : formatSpanText(span, this.maxAttributes),
          ),
        );
      }
    } catch (error) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
      return;
    }
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
