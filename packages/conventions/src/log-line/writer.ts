import { hostname } from 'node:os';
import { errorType } from '../error-type.js';
import { LogField } from '../log-fields.js';
import { CallFields } from './call-fields.js';
import { ERROR_FORM, isErrorArgument, messageText } from './call-message.js';
import {
  buildRecord,
  jsonLineFromParts,
  linePrefix,
  needsRecord,
  toJsonLine,
} from './json-line.js';
import { KeyPolicy } from './keys.js';
import { Sanitizer } from './sanitize.js';
import type { SerializedError } from './serialize-error.js';
import { safeString } from './serialize-error.js';
import type { LogLineFields, LogLineOptions, LogLineRecord, LogLineSpanContext } from './types.js';

/** The longest string value (and message) a line holds unless told otherwise. */
export const DEFAULT_MAX_STRING_LENGTH = 8192;

/**
 * The fields one logger (a root or a child) starts each line with: `name`, `hostname`, `pid`, then
 * the fields of every `child()` up to it. Made by {@link LogLineWriter.head} and
 * {@link LogLineWriter.child}.
 */
export class LogLineHead {
  readonly fields: Readonly<LogLineFields>;
  #prefix: string | null | undefined;

  constructor(fields: LogLineFields) {
    this.fields = fields;
  }

  /**
   * The fields as the JSON text every line starts with, up to `"level":`; made on first use, and
   * undefined when they cannot be written as JSON.
   */
  get prefix(): string | undefined {
    if (this.#prefix === undefined) this.#prefix = linePrefix(this.fields) ?? null;
    return this.#prefix ?? undefined;
  }
}

/**
 * Turns log calls into bunyan-format JSON lines, the same way for every logger of the project:
 * secrets redacted at any depth, an error under `error` as `{ type, message, stack, ... }`, seed
 * keys under their standard names, `severity_text` and `severity_number`, the trace fields of the
 * span context given, and one record per line whatever the values hold (control characters,
 * U+0085, U+2028 and U+2029 are escaped). Make one per root logger: it remembers what each field
 * key is.
 */
export class LogLineWriter {
  readonly #sanitizer: Sanitizer;
  readonly #fields: CallFields;

  constructor(options: LogLineOptions = {}) {
    const redactKeys = options.redactKeys ?? [];
    const maxStringLength = options.maxStringLength ?? DEFAULT_MAX_STRING_LENGTH;
    if (!Array.isArray(redactKeys) || redactKeys.some((k) => typeof k !== 'string' || k === '')) {
      throw new TypeError('LogLineWriter: `redactKeys` must be an array of non-empty strings');
    }
    if (!Number.isSafeInteger(maxStringLength) || maxStringLength < 1) {
      throw new RangeError('LogLineWriter: `maxStringLength` must be a positive integer');
    }
    const keys = new KeyPolicy(redactKeys);
    this.#sanitizer = new Sanitizer(keys, maxStringLength);
    this.#fields = new CallFields(keys, this.#sanitizer);
  }

  /** The head of a root logger: `name` (the service), this host's name, this process's id. */
  head(name: string): LogLineHead {
    return new LogLineHead({ name, hostname: hostname(), pid: process.pid });
  }

  /** The head of a child logger: `head`'s fields, then `fields` written as a call's fields are. */
  child(head: LogLineHead, fields: object): LogLineHead {
    const out: LogLineFields = {};
    for (const key in head.fields) out[key] = head.fields[key];
    this.#fields.fromObject(fields, out);
    return new LogLineHead(out);
  }

  /**
   * Reads the arguments of one log call (`msg, key, value, ...`, `err, msg, ...` or
   * `{ fields }, msg, ...`): writes its fields into `out`, in the order bunyan's record has them
   * after `level`, and returns its message, bounded. The error of the second shape goes under
   * `error`.
   */
  readCall(args: readonly unknown[], out: LogLineFields): string {
    // One method rather than a wrapper around a module function: it runs on every log call, and the
    // extra frame cost a few percent per line (the `log line` rows of bench/src/micro.mjs).
    const sanitizer = this.#sanitizer;
    const first = args[0];
    let message: string;
    let rest = 1;
    let earlier: object | undefined;
    if (typeof first === 'string') {
      message = first;
    } else if (first !== null && typeof first === 'object' && isErrorArgument(first)) {
      const error = sanitizer.error(first as Error);
      out[LogField.Error] = error;
      message = args.length > 1 ? messageText(args[1], sanitizer) : error.message;
      rest = 2;
      earlier = ERROR_FORM;
    } else if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
      this.#fields.fromObject(first, out);
      message = args.length > 1 ? messageText(args[1], sanitizer) : '';
      rest = 2;
      earlier = first;
    } else {
      message = messageText(first, sanitizer);
    }
    if (args.length > rest) this.#fields.fromPairs(args, rest, out, earlier);
    return sanitizer.text(message);
  }

  /**
   * The line (with its `\n`) of a call read by {@link readCall}. Written from the head's prefix and
   * the call's fields alone when it can be (the common case), else from the whole record: the same
   * text either way.
   */
  line(
    head: LogLineHead,
    level: number,
    call: Readonly<LogLineFields>,
    msg: string,
    time: Date,
    spanContext: LogLineSpanContext | undefined,
  ): string {
    const prefix = head.prefix;
    if (prefix !== undefined && !needsRecord(head.fields, call)) {
      const line = jsonLineFromParts(prefix, level, call, msg, time, spanContext);
      if (line !== undefined) return line;
    }
    return this.recordLine(buildRecord(head.fields, level, call, msg, time), spanContext);
  }

  /**
   * The line (with its `\n`) of one log call: {@link readCall} then {@link line}, the same text,
   * but a call `log.info({ fields }, 'msg')` whose fields need nothing done to them (plain keys,
   * primitive values within the limits, none of the logger's own keys) is serialised as it is,
   * without copying it first.
   */
  callLine(
    head: LogLineHead,
    level: number,
    args: readonly unknown[],
    time: Date,
    spanContext: LogLineSpanContext | undefined,
  ): string {
    const first = args[0];
    const second = args[1];
    if (
      args.length === 2 &&
      typeof second === 'string' &&
      first !== null &&
      typeof first === 'object' &&
      this.#fields.isWritableAsIs(first)
    ) {
      const prefix = head.prefix;
      if (prefix !== undefined && !needsRecord(head.fields, first as LogLineFields)) {
        const msg = this.#sanitizer.text(second);
        const line = jsonLineFromParts(
          prefix,
          level,
          first as LogLineFields,
          msg,
          time,
          spanContext,
        );
        if (line !== undefined) return line;
      }
    }
    const call: LogLineFields = {};
    const msg = this.readCall(args, call);
    return this.line(head, level, call, msg, time, spanContext);
  }

  /** The line (with its `\n`) of a whole record, as bunyan builds it. */
  recordLine(record: LogLineRecord, spanContext: LogLineSpanContext | undefined): string {
    return toJsonLine(record, spanContext, this.#sanitizer);
  }
}

let defaultSanitizer: Sanitizer | undefined;

/**
 * A thrown value as the `error` field of a log line: for an error (or any object), the
 * `{ type, message, stack?, code?, cause?, errors? }` that `log.error(err, msg)` writes, with
 * secrets in its `cause` redacted; for anything else, `{ type: typeof value, message }`. For code
 * that puts an error into a fields object, such as an access log line.
 */
export function errorLogField(value: unknown): SerializedError {
  defaultSanitizer ??= new Sanitizer(new KeyPolicy([]), DEFAULT_MAX_STRING_LENGTH);
  if (value !== null && typeof value === 'object') {
    try {
      return defaultSanitizer.error(value as Error);
    } catch {
      // A proxy whose traps throw: fall through to what can still be said about it.
    }
  }
  // The one `error.type` rule: a thrown string or number has no class to name.
  return { type: errorType(value), message: defaultSanitizer.text(safeString(value)) };
}
