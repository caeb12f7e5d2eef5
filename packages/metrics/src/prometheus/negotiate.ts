// Content negotiation of the scrape endpoint on the `Accept` header (RFC 9110 section 12.5.1): a
// scraper that asks for OpenMetrics 1.0.0 at least as much as for the text format 0.0.4 gets
// OpenMetrics; every other request (no header, `*/*`, a browser, `text/plain`) gets the text format,
// as before OpenMetrics was added.
import type { ExpositionFormat } from '../types.js';
import { OPENMETRICS_CONTENT_TYPE } from './openmetrics-format.js';
import { PROMETHEUS_CONTENT_TYPE } from './text-format.js';

/** The format to write and the `Content-Type` to send with it. */
export interface NegotiatedExposition {
  readonly format: ExpositionFormat;
  readonly contentType: string;
}

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly version: string | undefined;
  readonly q: number;
}

const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  prometheus: PROMETHEUS_CONTENT_TYPE,
  openmetrics: OPENMETRICS_CONTENT_TYPE,
};

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === sep && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"')
    ? v.slice(1, -1).replace(/\\(.)/g, '$1')
    : v;
}

/** The media ranges of an Accept header; a range that cannot be read is skipped. */
function mediaRanges(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of splitOutsideQuotes(accept, ',')) {
    const [mediaType = '', ...params] = splitOutsideQuotes(part, ';');
    const match = /^\s*([^\s/]+)\/([^\s/]+)\s*$/.exec(mediaType);
    if (match === null) continue;
    let q = 1;
    let version: string | undefined;
    let readable = true;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0) continue;
      const name = param.slice(0, eq).trim().toLowerCase();
      const value = unquote(param.slice(eq + 1));
      if (name === 'q') {
        // RFC 9110: "0" to "1" with up to three decimals.
        if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) readable = false;
        else q = Number(value);
      } else if (name === 'version') {
        version = value;
      }
    }
    if (!readable) continue;
    ranges.push({
      type: match[1]!.toLowerCase(),
      subtype: match[2]!.toLowerCase(),
      version,
      q,
    });
  }
  return ranges;
}

/**
 * The weight a client gives to `type/subtype` at `version`: that of the most specific range that
 * matches it (`type/subtype;version=…` before `type/subtype` before `type/*` before `*\/*`), 0 when
 * none does. With `wildcards: false`, only ranges that name the type count.
 */
function weight(
  ranges: readonly MediaRange[],
  type: string,
  subtype: string,
  version: string,
  wildcards: boolean,
): number {
  let best = -1;
  let q = 0;
  for (const range of ranges) {
    let specificity: number;
    if (range.type === type && range.subtype === subtype) {
      if (range.version === undefined) specificity = 2;
      else if (range.version === version) specificity = 3;
      else continue;
    } else if (wildcards && range.type === type && range.subtype === '*') specificity = 1;
    else if (wildcards && range.type === '*' && range.subtype === '*') specificity = 0;
    else continue;
    if (specificity > best || (specificity === best && range.q > q)) {
      best = specificity;
      q = range.q;
    }
  }
  return q;
}

/**
 * Picks the exposition format for a request's `Accept` header. OpenMetrics 1.0.0 when the client
 * names `application/openmetrics-text` (version `1.0.0` or none) with a weight above 0 and at least
 * that of the text format 0.0.4 (which `text/plain`, `text/*` and `*\/*` also give); the text
 * format otherwise, also without a header or with one that cannot be read. Prometheus's own header
 * (`application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`) gets
 * OpenMetrics.
 */
export function negotiateExposition(
  accept: string | readonly string[] | undefined,
): NegotiatedExposition {
  const header =
    typeof accept === 'string' ? accept : Array.isArray(accept) ? accept.join(',') : '';
  const ranges = mediaRanges(header);
  const openMetrics = weight(ranges, 'application', 'openmetrics-text', '1.0.0', false);
  const text = weight(ranges, 'text', 'plain', '0.0.4', true);
  const format: ExpositionFormat =
    openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'prometheus';
  return { format, contentType: CONTENT_TYPES[format] };
}
