import { isSensitiveKey } from '@datum-telemetry/conventions';
import { LINE_CORE_FIELDS } from '@datum-telemetry/conventions/log-line';
import type { FindingSignal } from '../types.js';
import { q } from './collector.js';
import type { CheckInput } from './input.js';
import { lineLabel } from './logs.js';

/** Headers that carry credentials, whatever `isSensitiveKey` says of their names. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
  'x-amz-security-token',
]);
/** `http.request.header.authorization` (span attribute) or `http_request_header_cookie` (label). */
const HEADER_KEY = /^http[._](?:request|response)[._]header[._](.+)$/;
/** Keys whose value is a URL or a query string: their query values must be redacted. */
const URL_KEYS: ReadonlySet<string> = new Set([
  'url.query',
  'url.full',
  'url.original',
  'http.url',
  'http.target',
  'url_query',
  'url_full',
  'http_url',
  'http_target',
  'url',
  'req.url',
]);
const REDACTED = /^(?:\[?redacted\]?|<redacted>|\*+|x{3,}|\[filtered\]|)$/i;
const CREDENTIAL =
  /(?:^|\s)(?:bearer|basic|digest|negotiate)\s+[A-Za-z0-9._~+/=-]{6,}|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./i;
const MAX_DEPTH = 6;

/** Where a value was seen, for messages: `the span \`GET /vms\``. */
interface Place {
  readonly signal: FindingSignal;
  readonly where: string;
}

function masked(canary: string): string {
  return `${canary.slice(0, 3)}…`;
}

/** The query parameters of a URL or query string whose values are not redacted. */
function unredactedParams(key: string, value: string): string[] {
  const query = key.endsWith('query')
    ? value
    : value.includes('?')
      ? value.slice(value.indexOf('?') + 1)
      : '';
  const out: string[] = [];
  for (const pair of query.split('#')[0]!.split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = pair.slice(0, eq);
    if (!REDACTED.test(decodeSafe(pair.slice(eq + 1)))) out.push(decodeSafe(name));
  }
  return out;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

class SecretScanner {
  constructor(private readonly input: CheckInput) {}

  /** Free text (span names, messages, lines that are not JSON): canaries and credentials. */
  text(place: Place, text: string, field: string): void {
    this.canaries(place, text, field);
    this.credential(place, text, field);
  }

  private canaries(place: Place, text: string, field: string): void {
    for (const canary of this.input.canaries) {
      if (!text.includes(canary)) continue;
      this.input.out.add(
        {
          check: 'secrets',
          signal: place.signal,
          rule: 'secret.canary',
          level: 'violation',
          name: masked(canary),
          message: `the canary secret ${q(masked(canary))} that the scenario sent appeared in ${place.where} (${field}): find where request secrets are copied into telemetry and remove them`,
        },
        `secret.canary\u0000${place.signal}\u0000${canary}`,
      );
    }
  }

  private credential(place: Place, text: string, field: string): void {
    if (!CREDENTIAL.test(text)) return;
    this.input.out.add({
      check: 'secrets',
      signal: place.signal,
      rule: 'secret.credential-value',
      level: 'violation',
      name: field,
      message: `${place.where} holds a credential (a bearer/basic token or a JWT) in ${q(field)}: never record credentials; drop the value`,
    });
  }

  /** A key and its value: an attribute, a log field, a label; objects are walked. */
  value(place: Place, key: string, value: unknown, depth = 0): void {
    if (depth > MAX_DEPTH || value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const v of value) this.value(place, key, v, depth + 1);
      return;
    }
    if (value instanceof Uint8Array) return;
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) this.value(place, `${key}.${k}`, v, depth + 1);
      return;
    }
    if (typeof value !== 'string') return;
    this.canaries(place, value, key);
    if (REDACTED.test(value)) return;
    const leaf = key.slice(key.lastIndexOf('.') + 1);
    const header =
      HEADER_KEY.exec(key)?.[1] ?? (/(^|\.)headers?\.[^.]+$/.test(key) ? leaf : undefined);
    const { out } = this.input;
    if (
      header !== undefined &&
      (SECRET_HEADERS.has(header.toLowerCase().replace(/_/g, '-')) || isSensitiveKey(header))
    ) {
      out.add({
        check: 'secrets',
        signal: place.signal,
        rule: 'secret.header',
        level: 'violation',
        name: key,
        message: `${place.where} records the header ${q(key)} with its value: never record Authorization, Cookie, Set-Cookie or API-key headers (the middleware drops them even when listed in captureRequestHeaders)`,
      });
      return;
    }
    if (isSensitiveKey(leaf) || isSensitiveKey(key)) {
      const logs = place.signal === 'logs';
      out.add({
        check: 'secrets',
        signal: place.signal,
        rule: logs ? 'log.field.sensitive' : 'attribute.key.sensitive',
        level: 'violation',
        name: key,
        message: logs
          ? `${place.where} has the field ${q(key)} with a value: it names a secret, so never log it; drop the field or redact it (@datum-telemetry/logging writes \`[REDACTED]\`)`
          : `${place.where} records ${q(key)} with a value: it names a secret, so never record it; drop the attribute or record \`REDACTED\``,
      });
      return;
    }
    if (URL_KEYS.has(key)) {
      for (const param of unredactedParams(key, value)) {
        out.add({
          check: 'secrets',
          signal: place.signal,
          rule: 'secret.query',
          level: 'violation',
          name: `${key}?${param}`,
          message: `${place.where} records the value of the query parameter ${q(param)} in ${q(key)}: record query keys only, with values \`REDACTED\` (as the middleware does), since query strings carry tokens`,
        });
      }
    }
    this.credential(place, value, key);
  }
}

/**
 * `secrets`: no secret header, secret-named attribute or field, unredacted query value, credential
 * or scenario canary in any span, metric, log record, log line or Prometheus label.
 */
export function checkSecrets(input: CheckInput): void {
  const scan = new SecretScanner(input);
  for (const span of input.collected.spans ?? []) {
    const place: Place = { signal: 'traces', where: `the span ${q(span.name)}` };
    scan.text(place, span.name, 'its name');
    if (span.status.message !== undefined)
      scan.text(place, span.status.message, 'its status message');
    for (const [k, v] of Object.entries(span.attributes)) scan.value(place, k, v);
    for (const event of span.events) {
      for (const [k, v] of Object.entries(event.attributes)) scan.value(place, k, v);
    }
  }
  for (const metric of input.metrics) {
    const place: Place = { signal: 'metrics', where: `the metric ${q(metric.name)}` };
    for (const attributes of metric.series.values()) {
      for (const [k, v] of Object.entries(attributes)) scan.value(place, k, v);
    }
  }
  for (const { family } of input.families) {
    const place: Place = { signal: 'metrics', where: `the Prometheus metric ${q(family.name)}` };
    for (const sample of family.samples) {
      for (const [k, v] of Object.entries(sample.labels)) scan.value(place, k, v);
    }
  }
  for (const record of input.collected.logs ?? []) {
    const place: Place = { signal: 'logs', where: 'a log record' };
    if (typeof record.body === 'string') scan.text(place, record.body, 'its body');
    else scan.value(place, 'body', record.body);
    for (const [k, v] of Object.entries(record.attributes)) scan.value(place, k, v);
  }
  for (const line of input.collected.lines ?? []) {
    if (line.fields === undefined) {
      scan.text({ signal: 'logs', where: `a line on ${line.stream}` }, line.text, line.stream);
      continue;
    }
    const place: Place = { signal: 'logs', where: `the log line ${q(lineLabel(line.fields))}` };
    if (typeof line.fields.msg === 'string') scan.text(place, line.fields.msg, 'msg');
    for (const [k, v] of Object.entries(line.fields)) {
      if (!LINE_CORE_FIELDS.has(k)) scan.value(place, k, v);
    }
  }
}
