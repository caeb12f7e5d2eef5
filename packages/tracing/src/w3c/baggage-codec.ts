// The `baggage` header of W3C Baggage (§Definition, §key, §value, §property, §Limits), as a codec
// between the header text and plain entries.
import { trimOws } from './ows.js';

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

// token = 1*tchar (RFC 7230 §3.2.6)
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
const OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
const OCTET = /[\x21\x23-\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** §key: a token. */
export function isBaggageKey(key: string): boolean {
  return TOKEN.test(key);
}

/**
 * §value: percent-decodes the octets as UTF-8; sequences that are not UTF-8 become U+FFFD ("MUST
 * be replaced with the replacement code point"). A `%` not followed by two hex digits is itself.
 */
export function decodeBaggageValue(raw: string): string {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const pair = raw.slice(i + 1, i + 3);
    if (raw[i] === '%' && HEX_PAIR.test(pair)) {
      bytes.push(Number.parseInt(pair, 16));
      i += 2;
    } else {
      bytes.push(raw.charCodeAt(i));
    }
  }
  return decoder.decode(Uint8Array.from(bytes));
}

/** §value: every character outside baggage-octet (and `%` itself) is percent-encoded as UTF-8. */
export function encodeBaggageValue(value: string): string {
  let out = '';
  for (const char of value) {
    if (OCTET.test(char)) {
      out += char;
      continue;
    }
    for (const byte of encoder.encode(char)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
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
    if (!OCTETS.test(value)) return undefined;
    properties.push(`${key}=${value}`);
  }
  return properties.join(';');
}

/** One list-member, or `undefined` when it is not in the format (§Mutating: it MAY be removed). */
function parseMember(text: string): BaggageMember | undefined {
  const [pair = '', ...propertyParts] = text.split(';');
  const equals = pair.indexOf('=');
  if (equals === -1) return undefined;
  const key = trimOws(pair.slice(0, equals));
  const raw = trimOws(pair.slice(equals + 1));
  if (!isBaggageKey(key) || !OCTETS.test(raw)) return undefined;
  const value = decodeBaggageValue(raw);
  if (propertyParts.length === 0) return { key, value };
  const properties = normalizeProperties(propertyParts);
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
    const end = comma === -1 ? header.length : comma;
    const text = trimOws(header.slice(start, end));
    start = end + 1;
    const member = parseMember(text);
    if (member === undefined) continue;
    const size = text.length + (members.length === 0 ? 0 : 1);
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
    const next = count === 0 ? text : `${header},${text}`;
    if (next.length > MAX_BAGGAGE_BYTES) continue;
    header = next;
    count++;
  }
  return header;
}
