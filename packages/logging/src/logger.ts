import { inspect } from 'node:util';
import type { OptionsSchema } from '@datum-telemetry/config';
import {
  resolveServiceName,
  rules,
  serviceOptionRules,
  validateOptions,
} from '@datum-telemetry/config';
import { LogField, resourceLogFields } from '@datum-telemetry/conventions';
import { diag } from '@opentelemetry/api';
import bunyan from 'bunyan';
import type { Fields } from './call-fields.js';
import { CallFields } from './call-fields.js';
import { JsonLinesOutput, jsonLineFromParts, linePrefix } from './json-lines.js';
import { KeyPolicy } from './keys.js';
import { LOG_SEVERITY, levelFromOptions, levelRule } from './levels.js';
import { PrettyLinesOutput } from './pretty-lines.js';
import { activeSpanContext, RecordSink } from './record-sink.js';
import { Sanitizer } from './sanitize.js';
import { isError } from './serialize-error.js';
import type { LogFields, Logger, LoggerOptions, LogLevelName, LogStream } from './types.js';

/** The part of bunyan's logger this package drives: `_emit` hands a built record to the streams. */
interface BunyanEmitter {
  readonly fields: Fields;
  _emit(record: Fields): void;
}

const DEFAULT_MAX_STRING_LENGTH = 8192;

interface Shared {
  readonly fields: CallFields;
  readonly sanitizer: Sanitizer;
  readonly sink: RecordSink;
  /** The JSON lines output, when the logger writes lines (no `pretty`, a stream). */
  readonly json: JsonLinesOutput | undefined;
}

/** A message that is not a string, as text: redacted and bounded first, like any field. */
function messageText(value: unknown, sanitizer: Sanitizer): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return inspect(sanitizer.field(value), { depth: 2, breakLength: Number.POSITIVE_INFINITY });
  } catch {
    return '[unprintable message]';
  }
}

/** What `earlier` is for the `log.error(err, ...)` shape: the call already set `error`. */
const ERROR_FORM: object = Object.freeze({ [LogField.Error]: true });

/** `instanceof` first (the common case); the realm-proof check only for objects that are not plain. */
function isErrorArgument(value: object): boolean {
  try {
    if (value instanceof Error) return true;
    const prototype = Object.getPrototypeOf(value);
    return prototype !== Object.prototype && prototype !== null && isError(value);
  } catch {
    // A proxy whose prototype trap throws.
    return false;
  }
}

/**
 * The logger: bunyan underneath (its record format, level numbers, streams), with the seed's call
 * shapes on top. When JSON lines are the only output, a line is written from the logger's fields
 * serialised once and the call's fields; otherwise the record is built here in one pass, the way
 * bunyan's own `mkRecord` builds it (logger fields, `level`, call fields, `msg`, `time`, `v`), and
 * handed to bunyan's `_emit` (bunyan 2.0.5 is pinned exactly). Both give the same text. Field work
 * happens only when the level is enabled.
 */
/**
 * Tells `@datum-telemetry/http` (by a shared global symbol, without a dependency) that this logger
 * adds `trace_id`, `span_id` and `trace_flags` from the active context itself.
 */
const CONTEXT_AWARE_LOGGER = Symbol.for('@datum-telemetry/logger.context-aware');

class DatumLogger implements Logger {
  readonly [CONTEXT_AWARE_LOGGER] = true;
  readonly #bunyan: BunyanEmitter;
  /** `name`, `hostname`, `pid`, then the fields of every `child()` up to this one. */
  readonly #base: Fields;
  readonly #level: number;
  readonly #shared: Shared;
  /** `#base` as the JSON text every line starts with (see `linePrefix`); made on first use. */
  #prefix: string | null | undefined;

  constructor(bunyanLogger: BunyanEmitter, base: Fields, level: number, shared: Shared) {
    this.#bunyan = bunyanLogger;
    this.#base = base;
    this.#level = level;
    this.#shared = shared;
  }

  trace(...args: unknown[]): void {
    if (this.#level <= 10) this.#log(10, args);
  }

  debug(...args: unknown[]): void {
    if (this.#level <= 20) this.#log(20, args);
  }

  info(...args: unknown[]): void {
    if (this.#level <= 30) this.#log(30, args);
  }

  warn(...args: unknown[]): void {
    if (this.#level <= 40) this.#log(40, args);
  }

  error(...args: unknown[]): void {
    if (this.#level <= 50) this.#log(50, args);
  }

  fatal(...args: unknown[]): void {
    if (this.#level <= 60) this.#log(60, args);
  }

  isLevelEnabled(level: LogLevelName): boolean {
    const severity = LOG_SEVERITY[level];
    return severity !== undefined && this.#level <= severity.level;
  }

  child(fields: LogFields): Logger {
    try {
      const base: Fields = {};
      for (const key in this.#base) base[key] = this.#base[key];
      if (fields !== null && typeof fields === 'object')
        this.#shared.fields.fromObject(fields, base);
      return new DatumLogger(this.#bunyan, base, this.#level, this.#shared);
    } catch (error) {
      diag.error('@datum-telemetry/logging: could not create a child logger', error);
      return this;
    }
  }

  withResource(object: Parameters<Logger['withResource']>[0]): Logger {
    return this.child({ ...resourceLogFields(object) });
  }

  /**
   * The common case, a logger whose only output is JSON lines: the line is written from the
   * logger's prefix and the call's fields, without the record bunyan would build and serialise
   * whole. The same text as the record path (a test compares them); false when that path is needed
   * (other outputs, see `needsRecord`, fields that cannot be serialised).
   */
  #writeLine(level: number, call: Fields, msg: string, time: Date): boolean {
    const { sink, json } = this.#shared;
    if (json === undefined || sink.outputs.length !== 1 || sink.outputs[0] !== json) return false;
    if (this.#prefix === undefined) this.#prefix = linePrefix(this.#base) ?? null;
    if (this.#prefix === null || needsRecord(this.#base, call)) return false;
    const line = jsonLineFromParts(this.#prefix, level, call, msg, time, activeSpanContext());
    if (line === undefined) return false;
    json.writeLine(line);
    return true;
  }

  #log(level: number, args: unknown[]): void {
    try {
      const { fields, sanitizer } = this.#shared;
      // The call's own fields, in the order bunyan's record has them after `level`.
      const call: Fields = {};
      const first = args[0];
      let message: string;
      let rest = 1;
      let earlier: object | undefined;
      if (typeof first === 'string') {
        message = first;
      } else if (first !== null && typeof first === 'object' && isErrorArgument(first)) {
        const error = sanitizer.error(first as Error);
        call[LogField.Error] = error;
        message = args.length > 1 ? messageText(args[1], sanitizer) : error.message;
        rest = 2;
        earlier = ERROR_FORM;
      } else if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
        fields.fromObject(first, call);
        message = args.length > 1 ? messageText(args[1], sanitizer) : '';
        rest = 2;
        earlier = first;
      } else {
        message = messageText(first, sanitizer);
      }
      if (args.length > rest) fields.fromPairs(args, rest, call, earlier);
      const msg = sanitizer.text(message);
      const time = new Date();
      if (this.#writeLine(level, call, msg, time)) return;
      // The record bunyan builds: the logger's fields, `level`, the call's fields (a call field
      // with the name of a logger field replaces it in place), `msg`, `time`, `v`.
      const base = this.#base;
      const full: Fields = {};
      for (const key in base) full[key] = base[key];
      full.level = level;
      for (const key in call) full[key] = call[key];
      full.msg = msg;
      full.time = time;
      full.v = 0;
      this.#bunyan._emit(full);
    } catch (error) {
      diag.error('@datum-telemetry/logging: could not write a log record', error);
    }
  }
}

/**
 * True when the call's fields cannot simply follow the logger's in the line: one has the name of a
 * logger field (it replaces that one in place), or looks like an array index (JavaScript orders
 * those first in an object, so the record has it before `name`).
 */
function needsRecord(base: object, call: Fields): boolean {
  for (const key in call) {
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || Object.hasOwn(base, key)) return true;
  }
  return false;
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

  const keys = new KeyPolicy(options.redactKeys ?? []);
  const sanitizer = new Sanitizer(keys, maxStringLength);
  const sink = new RecordSink();
  let json: JsonLinesOutput | undefined;
  if (stream !== null) {
    if (options.pretty === true) {
      sink.outputs.push(new PrettyLinesOutput(stream));
    } else {
      json = new JsonLinesOutput(stream, sanitizer);
      sink.outputs.push(json);
    }
  }
  const shared: Shared = { fields: new CallFields(keys, sanitizer), sanitizer, sink, json };
  const root = bunyan.createLogger({
    name: service,
    level,
    streams: [{ type: 'raw', level, stream: sink }],
  });
  const emitter = root as unknown as BunyanEmitter;
  const logger = new DatumLogger(emitter, { ...emitter.fields }, level, shared);
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
