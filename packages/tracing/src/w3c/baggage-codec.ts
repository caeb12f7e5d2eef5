// The `baggage` header of W3C Baggage (§Definition, §key, §value, §property, §Limits), as a codec
// between the header text and plain entries.
import { skipOws, skipOwsBack, trimOws } from './ows.js';

/** §Limits: at least 64 list-members are propagated; the ABNF allows 180 (`0*179`). */
export const MAX_BAGGAGE_MEMBERS = 180;

/** §Limits: a baggage-string of at least 8192 bytes is propagated; we propagate at most that. */
export const MAX_BAGGAGE_BYTES = 8192;

/** A baggage entry as the header carries it: key, decoded value, and properties as written. */
export interface BaggageMember {
  readonly key: string;
  readonly value: string;
  /** The property list after the value, `;`-joined, whitespace removed; `undefined` when none. */
  readonly properties?: string;
}

// Characters are checked over a lookup table, in place (`start` to `end` of the header), so that
// reading a header makes no string per key and value that it then throws away.
// token = 1*tchar (RFC 7230 §3.2.6)
const TCHAR = 1;
// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
const OCTET = 2;
// ... and written as itself by encodeBaggageValue: a baggage-octet but `%`.
const PLAIN = 4;
const CLASSES = new Uint8Array(128);
for (const char of "!#$%&'*+-.^_`|~0123456789") CLASSES[char.charCodeAt(0)] |= TCHAR;
for (let code = 0x41; code <= 0x5a; code++) CLASSES[code] |= TCHAR;
for (let code = 0x61; code <= 0x7a; code++) CLASSES[code] |= TCHAR;
for (let code = 0x21; code <= 0x7e; code++) {
  if (code !== 0x22 && code !== 0x2c && code !== 0x3b && code !== 0x5c) {
    CLASSES[code] |= code === 0x25 ? OCTET : OCTET | PLAIN;
  }
}

/** Whether every character of `text[start, end)` is of `kind`. */
function allOf(kind: number, text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || (CLASSES[code]! & kind) === 0) return false;
  }
  return true;
}

/** The value of a hex digit (either case), or -1 for any other character code. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57;
  return -1;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** §key: a token. */
export function isBaggageKey(key: string): boolean {
  const text = typeof key === 'string' ? key : String(key);
  return text.length > 0 && allOf(TCHAR, text, 0, text.length);
}

/**
 * §value: percent-decodes the octets as UTF-8; sequences that are not UTF-8 become U+FFFD ("MUST
 * be replaced with the replacement code point"). A `%` not followed by two hex digits is itself.
 */
export function decodeBaggageValue(raw: string): string {
  if (!raw.includes('%')) return raw;
  // ASCII in, ASCII out (the common case): the characters themselves, no UTF-8 decoding.
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code >= 0x80) return decodeOctets(raw);
    if (code === 0x25) {
      const high = hexDigit(raw.charCodeAt(i + 1));
      const low = high === -1 ? -1 : hexDigit(raw.charCodeAt(i + 2));
      if (low !== -1) {
        const byte = high * 16 + low;
        if (byte >= 0x80) return decodeOctets(raw);
        out += String.fromCharCode(byte);
        i += 2;
        continue;
      }
    }
    out += raw[i];
  }
  return out;
}

/** `decodeBaggageValue` when some byte is not ASCII: the bytes collected, then decoded as UTF-8. */
function decodeOctets(raw: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const high = raw[i] === '%' ? hexDigit(raw.charCodeAt(i + 1)) : -1;
    const low = high === -1 ? -1 : hexDigit(raw.charCodeAt(i + 2));
    if (low !== -1) {
      bytes.push(high * 16 + low);
      i += 2;
    } else {
      bytes.push(raw.charCodeAt(i));
    }
  }
  return decoder.decode(Uint8Array.from(bytes));
}

/** §value: every character outside baggage-octet (and `%` itself) is percent-encoded as UTF-8. */
export function encodeBaggageValue(value: string): string {
  if (allOf(PLAIN, value, 0, value.length)) return value;
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code < 128) {
      // ASCII is its own UTF-8: one octet, written as itself or as `%XX`.
      out += (CLASSES[code]! & PLAIN) !== 0 ? char : percentOctet(code);
      continue;
    }
    for (const byte of encoder.encode(char)) out += percentOctet(byte);
  }
  return out;
}

function percentOctet(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** §property: `key OWS "=" OWS value` or `key OWS`; `undefined` when one is malformed. */
export function normalizeProperties(parts: readonly string[]): string | undefined {
  const properties: string[] = [];
  for (const part of parts) {
    const equals = part.indexOf('=');
    const key = trimOws(equals === -1 ? part : part.slice(0, equals));
    if (!isBaggageKey(key)) return undefined;
    if (equals === -1) {
      properties.push(key);
      continue;
    }
    const value = trimOws(part.slice(equals + 1));
    if (!allOf(OCTET, value, 0, value.length)) return undefined;
    properties.push(`${key}=${value}`);
  }
  return properties.join(';');
}

/**
 * The list-member at `header[start, end)` (no whitespace around it), or `undefined` when it is not
 * in the format (§Mutating: it MAY be removed).
 */
function parseMember(header: string, start: number, end: number): BaggageMember | undefined {
  // The first `=` before the first `;`, looked for within the member only.
  let equals = -1;
  let pairEnd = end;
  for (let i = start; i < end; i++) {
    const code = header.charCodeAt(i);
    if (code === 0x3b) {
      pairEnd = i;
      break;
    }
    if (code === 0x3d && equals === -1) equals = i;
  }
  if (equals === -1) return undefined;
  const keyStart = skipOws(header, start, equals);
  const keyEnd = skipOwsBack(header, keyStart, equals);
  const rawStart = skipOws(header, equals + 1, pairEnd);
  const rawEnd = skipOwsBack(header, rawStart, pairEnd);
  if (keyStart === keyEnd || !allOf(TCHAR, header, keyStart, keyEnd)) return undefined;
  if (!allOf(OCTET, header, rawStart, rawEnd)) return undefined;
  const key = header.slice(keyStart, keyEnd);
  const value = decodeBaggageValue(header.slice(rawStart, rawEnd));
  if (pairEnd === end) return { key, value };
  const properties = normalizeProperties(header.slice(pairEnd + 1, end).split(';'));
  return properties === undefined ? undefined : { key, value, properties };
}

/**
 * The members of a combined `baggage` value, in order: malformed members are dropped one by one,
 * and reading stops at 180 members; a member that would take the header past 8192 bytes is
 * dropped (§Limits allows dropping members beyond them).
 */
export function parseBaggage(header: string): BaggageMember[] {
  const members: BaggageMember[] = [];
  let bytes = 0;
  // Member by member, so that a huge header costs no array of its parts and stops at 180.
  for (let start = 0; start <= header.length && members.length < MAX_BAGGAGE_MEMBERS; ) {
    const comma = header.indexOf(',', start);
    const next = comma === -1 ? header.length : comma;
    const memberStart = skipOws(header, start, next);
    const memberEnd = skipOwsBack(header, memberStart, next);
    start = next + 1;
    const member = parseMember(header, memberStart, memberEnd);
    if (member === undefined) continue;
    const size = memberEnd - memberStart + (members.length === 0 ? 0 : 1);
    if (bytes + size > MAX_BAGGAGE_BYTES) continue;
    bytes += size;
    members.push(member);
  }
  return members;
}

/** One list-member as written, or `undefined` when the key is not a token. */
export function formatMember(member: BaggageMember): string | undefined {
  if (!isBaggageKey(member.key)) return undefined;
  const text = `${member.key}=${encodeBaggageValue(member.value)}`;
  if (member.properties === undefined || member.properties === '') return text;
  const properties = normalizeProperties(member.properties.split(';'));
  return properties === undefined ? text : `${text};${properties}`;
}

/** The header for `members`: at most 180 members and 8192 bytes, members that do not fit left out. */
export function serializeBaggage(members: readonly BaggageMember[]): string {
  let header = '';
  let count = 0;
  for (const member of members) {
    if (count === MAX_BAGGAGE_MEMBERS) break;
    const text = formatMember(member);
    if (text === undefined) continue;
    if ((count === 0 ? 0 : header.length + 1) + text.length > MAX_BAGGAGE_BYTES) continue;
    header = count === 0 ? text : `${header},${text}`;
    count++;
  }
  return header;
}
