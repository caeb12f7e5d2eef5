// Text pieces both exposition formats write the same way: label names made from attribute keys,
// label values and HELP text escaped, numbers. The text format 0.0.4 and OpenMetrics 1.0 agree on
// all of them, which keeps a series' labels identical whichever format a scraper asks for.
import { toPrometheusLabelName } from '@datum-telemetry/conventions';
import type { Attributes, AttributeValue } from '@opentelemetry/api';

/** A label: its name and its raw (unescaped) value. */
export type Label = readonly [name: string, value: string];

/** HELP text of the text format 0.0.4: backslashes and newlines escaped. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A label value (and OpenMetrics HELP text): backslashes, newlines and double quotes escaped. */
export function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelValue(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A sample value: `+Inf`, `-Inf`, `NaN` or the shortest decimal that reads back the same. */
export function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function byName(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/**
 * Attributes as labels, sorted by name. Keys that become the same label name (`http.method` and
 * `http_method`) are joined with `;` in the order of their original keys, as the OpenTelemetry
 * Prometheus compatibility rules say. A key that becomes a `reserved` name gets `exported_` before it.
 * An attribute with an empty key is left out.
 */
export function toLabels(attributes: Attributes, reserved: ReadonlySet<string>): Label[] {
  const grouped = new Map<string, [key: string, value: string][]>();
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    // An empty key has no label name (`{="v"}` would make the whole exposition unreadable).
    if (value === undefined || value === null || key === '') continue;
    let name = toPrometheusLabelName(key);
    if (reserved.has(name)) name = `exported_${name}`;
    const group = grouped.get(name);
    if (group === undefined) grouped.set(name, [[key, labelValue(value)]]);
    else group.push([key, labelValue(value)]);
  }
  const labels: Label[] = [];
  for (const [name, group] of grouped) {
    group.sort(byName);
    labels.push([name, group.map((entry) => entry[1]).join(';')]);
  }
  return labels.sort(byName);
}

/** Labels as `name="value",...`, without braces; `''` for none. */
export function labelText(labels: readonly Label[]): string {
  let out = '';
  for (const [name, value] of labels) {
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return out;
}

/** One sample line: `name{labels} value`. */
export function sample(name: string, labels: string, value: number): string {
  return `${name}${labels === '' ? '' : `{${labels}}`} ${formatNumber(value)}\n`;
}

export const NO_RESERVED: ReadonlySet<string> = new Set();
export const HISTOGRAM_RESERVED: ReadonlySet<string> = new Set(['le']);
