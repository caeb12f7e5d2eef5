import type { OptionsSchema } from '@datum-telemetry/config';
import {
  ConfigError,
  resolveServiceName,
  rules,
  validateOptions,
  warnInvalidEnv,
} from '@datum-telemetry/config';
import type { LogLineHead, LogLineStream } from '@datum-telemetry/conventions/log-line';
import {
  CONTEXT_AWARE_LOGGER,
  LeveledLogger,
  LineWriter,
  LOG_LEVEL_SETTINGS,
  LogLineWriter,
  resolveLogLevel,
} from '@datum-telemetry/conventions/log-line';
import type { SpanContext } from '@opentelemetry/api';
import { context, diag, isSpanContextValid, trace } from '@opentelemetry/api';
import type { JsonLoggerOptions, RequestLogger } from './types.js';

function reportStreamFailure(message: string, error: unknown): void {
  diag.error(`@datum-telemetry/http: ${message}`, error);
}

function activeSpanContext(): SpanContext | undefined {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * The built-in logger: the lines `@datum-telemetry/logging` writes (both use the one writer of
 * `@datum-telemetry/conventions/log-line`), without bunyan, OTLP export or anything else, so that
 * the middleware alone pulls no logging stack.
 */
class JsonLogger extends LeveledLogger implements RequestLogger {
  readonly [CONTEXT_AWARE_LOGGER] = true;
  readonly #writer: LogLineWriter;
  readonly #lines: LineWriter;
  readonly #head: LogLineHead;

  constructor(writer: LogLineWriter, lines: LineWriter, head: LogLineHead, level: number) {
    super(level);
    this.#writer = writer;
    this.#lines = lines;
    this.#head = head;
  }

  child(fields: Record<string, unknown>): RequestLogger {
    try {
      const head =
        fields !== null && typeof fields === 'object'
          ? this.#writer.child(this.#head, fields)
          : this.#head;
      return new JsonLogger(this.#writer, this.#lines, head, this.threshold);
    } catch (error) {
      diag.error('@datum-telemetry/http: could not create a child logger', error);
      return this;
    }
  }

  protected override write(level: number, args: unknown[]): void {
    try {
      this.#lines.write(
        this.#writer.callLine(this.#head, level, args, new Date(), activeSpanContext()),
      );
    } catch (error) {
      diag.error('@datum-telemetry/http: could not write a log line', error);
    }
  }
}

/** The options of `createJsonLogger`, checked by the one validator of `@datum-telemetry/config`. */
const jsonLoggerOptionRules: OptionsSchema<JsonLoggerOptions> = {
  stream: rules.custom(
    'a writable stream (an object with write())',
    (value) =>
      value !== null &&
      typeof value === 'object' &&
      typeof (value as LogLineStream).write === 'function',
  ),
  name: rules.nonEmptyString,
  level: rules.oneOf(LOG_LEVEL_SETTINGS),
  redactKeys: rules.arrayOf(rules.nonEmptyString, 'an array of non-empty strings'),
  maxStringLength: rules.positiveInteger,
};

/**
 * The logger the middleware uses when none is given: one JSON line per call, the lines of
 * `@datum-telemetry/logging` (bunyan's format, `severity_*`, trace fields from the active span,
 * secrets redacted, errors under `error`, one record per line), with no dependency beyond the
 * OpenTelemetry API. Throws a `ConfigError` naming the option when an option is invalid, or for a
 * malformed `OTEL_RESOURCE_ATTRIBUTES` when the name comes from it.
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): RequestLogger {
  if (options !== null && typeof (options as { write?: unknown }).write === 'function') {
    throw new ConfigError('options', 'got a stream; pass it as { stream }');
  }
  validateOptions<JsonLoggerOptions>(options, jsonLoggerOptionRules, 'createJsonLogger');
  const stream: LogLineStream = options.stream ?? process.stdout;
  const level = resolveLogLevel(options.level, process.env.LOG_LEVEL, (value, expected, fallback) =>
    warnInvalidEnv('LOG_LEVEL', value, expected, fallback),
  );
  const name = options.name ?? resolveServiceName();
  // Throws for bad `redactKeys` and `maxStringLength`, naming the option.
  const writer = new LogLineWriter({
    redactKeys: options.redactKeys,
    maxStringLength: options.maxStringLength,
  });
  return new JsonLogger(
    writer,
    new LineWriter(stream, reportStreamFailure),
    writer.head(name),
    level,
  );
}
