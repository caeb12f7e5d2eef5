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
const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const TENANT_ID = /^[a-z0-9][a-z0-9_\-*/]{0,240}$/;
const SYSTEM_ID = /^[a-z][a-z0-9_\-*/]{0,13}$/;

// value    = 0*255(chr) nblk-chr
// nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
// chr      = %x20 / nblk-chr
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** §3.3.1.3.1: a simple key, or a multi-tenant `tenant@system` key. */
export function isTraceStateKey(key: string): boolean {
  const at = key.indexOf('@');
  if (at === -1) return SIMPLE_KEY.test(key);
  return TENANT_ID.test(key.slice(0, at)) && SYSTEM_ID.test(key.slice(at + 1));
}

/** §3.3.1.3.2: 1 to 256 printable ASCII characters but `,` and `=`, not ending with a space. */
export function isTraceStateValue(value: string): boolean {
  return VALUE.test(value);
}
