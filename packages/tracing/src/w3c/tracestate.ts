import type { TraceState } from '@opentelemetry/api';
import { combineListHeader, trimOws } from './ows.js';
import {
  isTraceStateKey,
  isTraceStateValue,
  LARGE_ENTRY_LENGTH,
  MAX_TRACESTATE_HEADER_LENGTH,
  MAX_TRACESTATE_LENGTH,
  MAX_TRACESTATE_MEMBERS,
} from './tracestate-rules.js';

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

/**
 * Reads a combined `tracestate` value (§3.3.1.1-§3.3.1.4). Optional whitespace around members and
 * empty members are allowed; any member that is not `key=value` with a valid key and value, a
 * repeated key, or more than 32 members makes the whole header invalid (`undefined`), and it is
 * then dropped whole (§4.3 step 3).
 */
function parseMembers(header: string): readonly Member[] | undefined {
  if (header.length > MAX_TRACESTATE_HEADER_LENGTH) return undefined;
  const members: Member[] = [];
  const seen = new Set<string>();
  for (const part of header.split(',')) {
    const member = trimOws(part);
    if (member === '') continue;
    const equals = member.indexOf('=');
    if (equals === -1) return undefined;
    const key = member.slice(0, equals);
    const value = member.slice(equals + 1);
    if (!isTraceStateKey(key) || !isTraceStateValue(value) || seen.has(key)) return undefined;
    seen.add(key);
    members.push([key, value]);
    if (members.length > MAX_TRACESTATE_MEMBERS) return undefined;
  }
  return members;
}

/**
 * A `tracestate` list held to the W3C Trace Context Level 1 rules (§3.3 and §3.5), usable wherever
 * OpenTelemetry takes a `TraceState`. Immutable: `set` and `unset` return a new list. `set` ignores
 * an invalid key or value, moves the key to the left, and truncates as §3.3.1.5 says when the list
 * would exceed 32 members or 512 characters.
 */
export class W3CTraceState implements TraceState {
  readonly #members: readonly Member[];

  private constructor(members: readonly Member[]) {
    this.#members = members;
  }

  /** An empty list. */
  static empty(): W3CTraceState {
    return new W3CTraceState([]);
  }

  /**
   * Parses one `tracestate` header value, or several (repeated fields, combined in order).
   * Returns `undefined` when the header is invalid as a whole, or is neither a string nor strings.
   */
  static parse(header: unknown): W3CTraceState | undefined {
    const combined = combineListHeader(header);
    if (combined === undefined) return undefined;
    const members = parseMembers(combined);
    return members === undefined ? undefined : new W3CTraceState(truncate(members));
  }

  /** Our own list as is; any other `TraceState` through its serialization, `undefined` if invalid. */
  static from(state: TraceState): W3CTraceState | undefined {
    return state instanceof W3CTraceState ? state : W3CTraceState.parse(state.serialize());
  }

  set(key: string, value: string): W3CTraceState {
    if (!isTraceStateKey(key) || !isTraceStateValue(value)) return this;
    const rest = this.#members.filter(([k]) => k !== key);
    return new W3CTraceState(truncate([[key, value], ...rest]));
  }

  unset(key: string): W3CTraceState {
    const rest = this.#members.filter(([k]) => k !== key);
    return rest.length === this.#members.length ? this : new W3CTraceState(rest);
  }

  get(key: string): string | undefined {
    return this.#members.find(([k]) => k === key)?.[1];
  }

  /** The number of list members. */
  get size(): number {
    return this.#members.length;
  }

  /** `key=value` members joined by `,`, leftmost first, with no optional whitespace. */
  serialize(): string {
    return this.#members.map(([key, value]) => `${key}=${value}`).join(',');
  }
}
