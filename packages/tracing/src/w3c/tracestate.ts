import type { TraceState } from '@opentelemetry/api';
import { combineListHeader, isOws } from './ows.js';
import {
  isTraceStateKey,
  isTraceStateKeyAt,
  isTraceStateValue,
  isTraceStateValueChar,
  LARGE_ENTRY_LENGTH,
  MAX_TRACESTATE_HEADER_LENGTH,
  MAX_TRACESTATE_LENGTH,
  MAX_TRACESTATE_MEMBERS,
  MAX_TRACESTATE_VALUE_LENGTH,
} from './tracestate-rules.js';

const TAB = 0x09;
const SPACE = 0x20;
const COMMA = 0x2c;
const EQUALS = 0x3d;

type Member = readonly [key: string, value: string];

function memberLength([key, value]: Member): number {
  return key.length + 1 + value.length;
}

function serializedLength(members: readonly Member[]): number {
  let length = Math.max(0, members.length - 1);
  for (const member of members) length += memberLength(member);
  return length;
}

/**
 * §3.3.1.5: whole entries are removed until the list fits, entries longer than 128 characters
 * first, then from the end. Only as many as needed go (§3.5: entries of others SHOULD NOT be
 * deleted), the rightmost large one first.
 */
function truncate(members: readonly Member[]): readonly Member[] {
  let kept = members.slice(0, MAX_TRACESTATE_MEMBERS);
  let length = serializedLength(kept);
  while (length > MAX_TRACESTATE_LENGTH) {
    let index = kept.length - 1;
    for (let i = kept.length - 1; i >= 0; i--) {
      if (memberLength(kept[i]!) > LARGE_ENTRY_LENGTH) {
        index = i;
        break;
      }
    }
    kept = kept.filter((_, i) => i !== index);
    length = serializedLength(kept);
  }
  return kept;
}

/** Where each member's key starts and ends and its value ends, while one header is read. */
const keyStarts = new Int32Array(MAX_TRACESTATE_MEMBERS);
const keyEnds = new Int32Array(MAX_TRACESTATE_MEMBERS);
const valueEnds = new Int32Array(MAX_TRACESTATE_MEMBERS);

/** Whether the key at `start`-`end` of `header` is one of the first `count` keys read. */
function isRepeated(header: string, start: number, end: number, count: number): boolean {
  const length = end - start;
  for (let m = 0; m < count; m++) {
    const other = keyStarts[m]!;
    if (keyEnds[m]! - other !== length) continue;
    let i = 0;
    while (i < length && header.charCodeAt(start + i) === header.charCodeAt(other + i)) i++;
    if (i === length) return true;
  }
  return false;
}

/** The members of a list in serialized form (valid, no whitespace, no empty member). */
function splitSerialized(serialized: string): readonly Member[] {
  if (serialized === '') return [];
  return serialized.split(',').map((member) => {
    const equals = member.indexOf('=');
    return [member.slice(0, equals), member.slice(equals + 1)] as const;
  });
}

/** The last header read and what it gave: many requests carry the same `tracestate`. */
let lastHeader: string | undefined;
let lastParsed: W3CTraceState | undefined;

/** What only this module can pass to the constructor. */
const CONSTRUCT: unique symbol = Symbol('W3CTraceState');

/**
 * A `tracestate` list held to the W3C Trace Context Level 1 rules (§3.3 and §3.5), usable wherever
 * OpenTelemetry takes a `TraceState`. Immutable: `set` and `unset` return a new list. `set` ignores
 * an invalid key or value, moves the key to the left, and truncates as §3.3.1.5 says when the list
 * would exceed 32 members or 512 characters.
 */
export class W3CTraceState implements TraceState {
  // The members, or the list as `serialize` writes it, or both: a list read from a header is
  // often only written back, so it is split into members only when one is asked for.
  #members: readonly Member[] | undefined;
  #serialized: string | undefined;
  readonly #size: number;

  private constructor(
    token: typeof CONSTRUCT,
    members: readonly Member[] | undefined,
    serialized: string | undefined,
    size: number,
  ) {
    // `private` holds in TypeScript only: from JavaScript, `new` would build a broken list.
    if (token !== CONSTRUCT) {
      throw new TypeError(
        'W3CTraceState has no public constructor: use W3CTraceState.parse(header) or W3CTraceState.empty()',
      );
    }
    this.#members = members;
    this.#serialized = serialized;
    this.#size = size;
  }

  /** A list of members, already validated and truncated. */
  static #of(members: readonly Member[]): W3CTraceState {
    return new W3CTraceState(CONSTRUCT, members, undefined, members.length);
  }

  /**
   * Reads a combined `tracestate` value (§3.3.1.1-§3.3.1.4). Optional whitespace around members and
   * empty members are allowed; any member that is not `key=value` with a valid key and value, a
   * repeated key, or more than 32 members makes the whole header invalid (`undefined`), and it is
   * then dropped whole (§4.3 step 3). Validated in place, in one pass; a header that is already in
   * the form `serialize` writes (no whitespace, no empty member, at most 512 characters) is kept as
   * it came, and split into members only when one is asked for.
   */
  static #read(header: string): W3CTraceState | undefined {
    const length = header.length;
    if (length > MAX_TRACESTATE_HEADER_LENGTH) return undefined;
    let count = 0;
    let canonical = true;
    for (let pos = 0; pos <= length; ) {
      // Whitespace before the member, or an empty member.
      let start = pos;
      while (start < length && isOws(header.charCodeAt(start))) start++;
      if (start !== pos) canonical = false;
      if (start === length || header.charCodeAt(start) === COMMA) {
        canonical = false;
        pos = start + 1;
        continue;
      }
      // The key, up to `=`: a member without one makes the header invalid.
      let equals = start;
      let code = header.charCodeAt(equals);
      while (code !== EQUALS) {
        if (code === COMMA || equals >= length) return undefined;
        code = header.charCodeAt(++equals);
      }
      if (!isTraceStateKeyAt(header, start, equals)) return undefined;
      // The value, up to `,`; whitespace after it is not part of it, a tab inside it is invalid.
      let end = equals + 1;
      let valueEnd = end;
      let tab = false;
      for (; end < length; end++) {
        code = header.charCodeAt(end);
        if (code === COMMA) break;
        if (code === TAB) tab = true;
        else if (code !== SPACE) {
          if (tab || !isTraceStateValueChar(code)) return undefined;
          valueEnd = end + 1;
        }
      }
      const valueLength = valueEnd - equals - 1;
      if (valueLength === 0 || valueLength > MAX_TRACESTATE_VALUE_LENGTH) return undefined;
      if (valueEnd !== end) canonical = false;
      if (count === MAX_TRACESTATE_MEMBERS || isRepeated(header, start, equals, count)) {
        return undefined;
      }
      keyStarts[count] = start;
      keyEnds[count] = equals;
      valueEnds[count] = valueEnd;
      count++;
      pos = end + 1;
    }
    if (canonical && header.length <= MAX_TRACESTATE_LENGTH) {
      return new W3CTraceState(CONSTRUCT, undefined, header, count);
    }
    const members: Member[] = [];
    for (let m = 0; m < count; m++) {
      members.push([
        header.slice(keyStarts[m], keyEnds[m]),
        header.slice(keyEnds[m]! + 1, valueEnds[m]),
      ]);
    }
    return W3CTraceState.#of(truncate(members));
  }

  /** An empty list. */
  static empty(): W3CTraceState {
    return W3CTraceState.#of([]);
  }

  /**
   * Parses one `tracestate` header value, or several (repeated fields, combined in order).
   * Returns `undefined` when the header is invalid as a whole, or is neither a string nor strings.
   */
  static parse(header: unknown): W3CTraceState | undefined {
    const combined = combineListHeader(header);
    if (combined === undefined) return undefined;
    // The list is immutable, so the same header can give the same object back.
    if (combined === lastHeader) return lastParsed;
    const parsed = W3CTraceState.#read(combined);
    lastHeader = combined;
    lastParsed = parsed;
    return parsed;
  }

  /** Our own list as is; any other `TraceState` through its serialization, `undefined` if invalid. */
  static from(state: TraceState): W3CTraceState | undefined {
    return state instanceof W3CTraceState ? state : W3CTraceState.parse(state.serialize());
  }

  #list(): readonly Member[] {
    this.#members ??= splitSerialized(this.#serialized ?? '');
    return this.#members;
  }

  set(key: string, value: string): W3CTraceState {
    if (!isTraceStateKey(key) || !isTraceStateValue(value)) return this;
    const rest = this.#list().filter(([k]) => k !== key);
    return W3CTraceState.#of(truncate([[key, value], ...rest]));
  }

  unset(key: string): W3CTraceState {
    const members = this.#list();
    const rest = members.filter(([k]) => k !== key);
    return rest.length === members.length ? this : W3CTraceState.#of(rest);
  }

  get(key: string): string | undefined {
    return this.#list().find(([k]) => k === key)?.[1];
  }

  /** The number of list members. */
  get size(): number {
    return this.#size;
  }

  /** `key=value` members joined by `,`, leftmost first, with no optional whitespace. */
  serialize(): string {
    this.#serialized ??= this.#list()
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    return this.#serialized;
  }
}
