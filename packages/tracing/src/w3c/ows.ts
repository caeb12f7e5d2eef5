/**
 * Optional whitespace (RFC 7230 §3.2.3: `OWS = *( SP / HTAB )`). Header values may carry it around
 * the whole value and, in list headers, around each member; it is never part of what it surrounds.
 */
export function trimOws(text: string): string {
  const start = skipOws(text, 0, text.length);
  const end = skipOwsBack(text, start, text.length);
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Where `text[start, end)` starts once optional whitespace before it is left out. */
export function skipOws(text: string, start: number, end: number): number {
  while (start < end && isOws(text.charCodeAt(start))) start++;
  return start;
}

/** Where `text[start, end)` ends once optional whitespace after it is left out. */
export function skipOwsBack(text: string, start: number, end: number): number {
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Whether a character code is optional whitespace: a space or a horizontal tab. */
export function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * One header value from what a `TextMapGetter` returns: repeated fields (an array) are combined
 * with `,` as RFC 7230 §3.2.2 says a list header may be; anything else is `undefined`.
 */
export function combineListHeader(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  if (!value.every((part) => typeof part === 'string')) return undefined;
  return value.join(',');
}
