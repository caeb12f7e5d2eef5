import type { OptionsSchema } from '@datum-telemetry/config';
import {
  resolveServiceName,
  rules,
  serviceOptionRules,
  validateOptions,
} from '@datum-telemetry/config';
import { resourceLogFields } from '@datum-telemetry/conventions';
import type {
  LogLevelName,
  LogLineFields,
  LogLineHead,
} from '@datum-telemetry/conventions/log-line';
import {
  CONTEXT_AWARE_LOGGER,
  DEFAULT_MAX_STRING_LENGTH,
  LeveledLogger,
  LOG_LEVELS,
  LogLineWriter,
} from '@datum-telemetry/conventions/log-line';
import { diag } from '@opentelemetry/api';
import bunyan from 'bunyan';
import { JsonLinesOutput } from './json-lines.js';
import { LOG_SEVERITY, levelFromOptions, levelRule } from './levels.js';
import { PrettyLinesOutput } from './pretty-lines.js';
import { activeSpanContext, RecordSink } from './record-sink.js';
import type { LogFields, Logger, LoggerOptions, LogStream } from './types.js';

/**
 * The part of bunyan's documented API this package drives: a level method called as
 * `log.info(fields, msg)`, and `log.child(fields, true)` (the "simple" child of bunyan's README,
 * which only adds fields).
 */
interface BunyanLogger extends Record<LogLevelName, (fields: LogLineFields, msg: string) => void> {
  child(fields: Readonly<LogLineFields>, simple: true): BunyanLogger;
}

interface Shared {
  readonly writer: LogLineWriter;
  readonly sink: RecordSink;
  /** The JSON lines output, when the logger writes lines (no `pretty`, a stream). */
  readonly json: JsonLinesOutput | undefined;
  readonly bunyan: BunyanLogger;
}

/**
 * The fields of a bunyan child logger: bunyan refuses a child that sets `name`, which the root
 * has already (the service); a logger's head holds that same `name` first, so nothing is lost.
 */
function withoutName(fields: Readonly<LogLineFields>): LogLineFields {
  const out: LogLineFields = {};
  for (const key in fields) if (key !== 'name') out[key] = fields[key];
  return out;
}

/**
 * The logger: bunyan underneath (its record format, level numbers, streams), with the seed's call
 * shapes on top; a call's fields are read, redacted and made JSON-safe once, by the project's one
 * log-line writer (`@datum-telemetry/conventions/log-line`, which the middleware's built-in logger
 * uses too). When JSON lines are the only output, that writer writes the line itself from the
 * logger's fields serialised once and the call's fields; otherwise the fields go to bunyan's
 * `log.<level>(fields, msg)`, which builds the record (logger fields, `level`, call fields, `msg`,
 * `time`, `v`) and hands it to the outputs. Both give the same text (a test compares them). Field
 * work happens only when the level is enabled.
 */
class DatumLogger extends LeveledLogger implements Logger {
  readonly [CONTEXT_AWARE_LOGGER] = true;
  readonly #head: LogLineHead;
  readonly #shared: Shared;
  /** bunyan's child logger with this logger's fields, made when a record first goes through bunyan. */
  #bunyan: BunyanLogger | undefined;

  constructor(head: LogLineHead, level: number, shared: Shared) {
    super(level);
    this.#head = head;
    this.#shared = shared;
  }

  isLevelEnabled(level: LogLevelName): boolean {
    const severity = LOG_SEVERITY[level];
    return severity !== undefined && this.threshold <= severity.level;
  }

  child(fields: LogFields): Logger {
    try {
      const head =
        fields !== null && typeof fields === 'object'
          ? this.#shared.writer.child(this.#head, fields)
          : this.#head;
      return new DatumLogger(head, this.threshold, this.#shared);
    } catch (error) {
      diag.error('@datum-telemetry/logging: could not create a child logger', error);
      return this;
    }
  }

  withResource(object: Parameters<Logger['withResource']>[0]): Logger {
    return this.child({ ...resourceLogFields(object) });
  }

  protected override write(level: number, args: unknown[]): void {
    try {
      const { writer, sink, json } = this.#shared;
      if (json !== undefined && sink.outputs.length === 1 && sink.outputs[0] === json) {
        json.writeLine(writer.callLine(this.#head, level, args, new Date(), activeSpanContext()));
        return;
      }
      const call: LogLineFields = {};
      const msg = writer.readCall(args, call);
      this.#bunyan ??= this.#shared.bunyan.child(withoutName(this.#head.fields), true);
      this.#bunyan[LOG_LEVELS[level / 10 - 1]!](call, msg);
    } catch (error) {
      diag.error('@datum-telemetry/logging: could not write a log record', error);
    }
  }
}

/** The options of `createLogger`, checked by the one validator of `@datum-telemetry/config`. */
export const loggerOptionRules: OptionsSchema<LoggerOptions> = {
  ...serviceOptionRules,
  level: levelRule,
  stream: rules.custom(
    'a writable stream (an object with write()) or null',
    (value) =>
      value === null ||
      (typeof value === 'object' && typeof (value as LogStream).write === 'function'),
  ),
  pretty: rules.boolean,
  redactKeys: rules.arrayOf(rules.nonEmptyString, 'an array of non-empty strings'),
  maxStringLength: rules.positiveInteger,
  fields: rules.record(rules.any, 'an object of fields'),
  env: rules.record(rules.string, 'an object of environment variables'),
};

/** A logger and the sink its records pass through (`setupLogging` adds the OTLP output to it). */
export interface BuiltLogger {
  readonly logger: Logger;
  readonly sink: RecordSink;
  readonly service: string;
}

/** Builds the logger from options checked beforehand (`loggerOptionRules` or a schema over it). */
export function buildLogger(options: LoggerOptions): BuiltLogger {
  const env = options.env ?? process.env;
  const level = levelFromOptions(options.level, env);
  const stream = options.stream === undefined ? process.stdout : options.stream;
  const maxStringLength = options.maxStringLength ?? DEFAULT_MAX_STRING_LENGTH;
  const service = resolveServiceName(options, env);

  const writer = new LogLineWriter({ redactKeys: options.redactKeys ?? [], maxStringLength });
  const sink = new RecordSink();
  let json: JsonLinesOutput | undefined;
  if (stream !== null) {
    if (options.pretty === true) {
      sink.outputs.push(new PrettyLinesOutput(stream));
    } else {
      json = new JsonLinesOutput(stream, writer);
      sink.outputs.push(json);
    }
  }
  const root = bunyan.createLogger({
    name: service,
    level,
    streams: [{ type: 'raw', level, stream: sink }],
  });
  const shared: Shared = { writer, sink, json, bunyan: root as unknown as BunyanLogger };
  const logger = new DatumLogger(writer.head(service), level, shared);
  return {
    logger: options.fields === undefined ? logger : logger.child(options.fields),
    sink,
    service,
  };
}

/**
 * A logger writing one JSON line per record to stdout (or `options.stream`), with the standard
 * fields, the trace context inside a span, OpenTelemetry severities and secrets redacted. Throws a
 * `ConfigError` naming the option when an option is invalid. For OTLP export use `setupLogging`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  validateOptions<LoggerOptions>(options, loggerOptionRules);
  return buildLogger(options).logger;
}
