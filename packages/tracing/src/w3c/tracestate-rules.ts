// The `tracestate` grammar of W3C Trace Context Level 1 §3.3.1.3 and the limits of §3.3.1.2 and
// §3.3.1.5, as plain predicates.

/** §3.3.1.2: "There can be a maximum of 32 list-members in a list." */
export const MAX_TRACESTATE_MEMBERS = 32;

/**
 * §3.3.1.5 asks to propagate at least 512 characters of the combined header; we propagate at most
 * that many, and truncate longer ones as the same clause says.
 */
export const MAX_TRACESTATE_LENGTH = 512;

/** §3.3.1.5: "Entries larger than 128 characters long SHOULD be removed first." */
export const LARGE_ENTRY_LENGTH = 128;

/**
 * Longer `tracestate` headers are dropped unread (§7.2 Denial of Service): 32 of the largest
 * members (`256 + 1 + 256` characters) and their commas fit twice over.
 */
export const MAX_TRACESTATE_HEADER_LENGTH = 32_768;

// simple-key       = lcalpha 0*255( lcalpha / DIGIT / "_" / "-"/ "*" / "/" )
// multi-tenant-key = tenant-id "@" system-id
// tenant-id        = ( lcalpha / DIGIT ) 0*240( lcalpha / DIGIT / "_" / "-"/ "*" / "/" )
// system-id        = lcalpha 0*13( lcalpha / DIGIT / "_" / "-"/ "*" / "/" )
const MAX_SIMPLE_KEY = 256;
const MAX_TENANT_ID = 241;
const MAX_SYSTEM_ID = 14;

// value    = 0*255(chr) nblk-chr
// nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
// chr      = %x20 / nblk-chr
/** The longest value. */
export const MAX_TRACESTATE_VALUE_LENGTH = 256;

// Checked character by character over a lookup table, not with regular expressions, and in place
// (`start` to `end` of a header), so that reading a header makes no string per key and value.
const KEY_CHAR = 1;
const VALUE_CHAR = 2;
const CLASSES = new Uint8Array(128);
for (let code = 0x20; code <= 0x7e; code++) {
  if (code !== 0x2c && code !== 0x3d) CLASSES[code] |= VALUE_CHAR;
}
for (const char of 'abcdefghijklmnopqrstuvwxyz0123456789_-*/')
  CLASSES[char.charCodeAt(0)] |= KEY_CHAR;

function isLcAlpha(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** §3.3.1.3.1 for `text[start, end)`: a simple key, or a multi-tenant `tenant@system` key. */
export function isTraceStateKeyAt(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  let at = -1;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x40 && at === -1) at = i;
    else if (code >= 128 || (CLASSES[code]! & KEY_CHAR) === 0) return false;
  }
  const first = text.charCodeAt(start);
  if (at === -1) return end - start <= MAX_SIMPLE_KEY && isLcAlpha(first);
  const tenant = at - start;
  const system = end - at - 1;
  return (
    tenant >= 1 &&
    tenant <= MAX_TENANT_ID &&
    (isLcAlpha(first) || isDigit(first)) &&
    system >= 1 &&
    system <= MAX_SYSTEM_ID &&
    isLcAlpha(text.charCodeAt(at + 1))
  );
}

/** §3.3.1.3.2: whether a character may be in a value (`chr`: printable ASCII but `,` and `=`). */
export function isTraceStateValueChar(code: number): boolean {
  return code < 128 && (CLASSES[code]! & VALUE_CHAR) !== 0;
}

/** §3.3.1.3.1: a simple key, or a multi-tenant `tenant@system` key. */
export function isTraceStateKey(key: string): boolean {
  const text = typeof key === 'string' ? key : String(key);
  return isTraceStateKeyAt(text, 0, text.length);
}

/** §3.3.1.3.2: 1 to 256 printable ASCII characters but `,` and `=`, not ending with a space. */
export function isTraceStateValue(value: string): boolean {
  const text = typeof value === 'string' ? value : String(value);
  const length = text.length;
  if (length === 0 || length > MAX_TRACESTATE_VALUE_LENGTH) return false;
  if (text.charCodeAt(length - 1) === 0x20) return false;
  for (let i = 0; i < length; i++) {
    if (!isTraceStateValueChar(text.charCodeAt(i))) return false;
  }
  return true;
}
