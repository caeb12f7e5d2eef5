import type {
  SinkLogRecord,
  SinkMetric,
  SinkRejectedRequest,
  SinkRequest,
  SinkSpan,
} from './types.js';

const MAX_LISTED = 10;

function names(values: string[]): string {
  const unique = [...new Set(values)];
  const shown = unique.slice(0, MAX_LISTED).map((n) => JSON.stringify(n));
  if (unique.length > MAX_LISTED) shown.push(`and ${unique.length - MAX_LISTED} more`);
  return shown.length > 0 ? ` (${shown.join(', ')})` : '';
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export interface Received {
  spans: readonly SinkSpan[];
  metrics: readonly SinkMetric[];
  logs: readonly SinkLogRecord[];
  requests: readonly SinkRequest[];
  rejected: readonly SinkRejectedRequest[];
}

/** One paragraph saying what the sink holds, for timeout messages. */
export function describeReceived(r: Received): string {
  const parts = [
    `Received so far: ${plural(r.spans.length, 'span')}${names(r.spans.map((s) => s.name))}`,
    `${plural(r.metrics.length, 'metric')}${names(r.metrics.map((m) => m.name))}`,
    `${plural(r.logs.length, 'log record')}${names(
      r.logs.map((l) =>
        typeof l.body === 'string' ? l.body : String(l.severityText ?? l.severityNumber),
      ),
    )}`,
  ];
  const requests = r.requests
    .slice(-MAX_LISTED)
    .map(
      (q) =>
        `${q.signal}/${q.encoding}${q.gzip ? '+gzip' : ''} -> ${q.status}${q.error ? ` (${q.error})` : ''}`,
    );
  let text = `${parts.join(', ')}; ${plural(r.requests.length, 'request')}`;
  if (requests.length > 0)
    text += `${r.requests.length > MAX_LISTED ? ', the last' : ''}: ${requests.join('; ')}`;
  if (r.rejected.length > 0) {
    text += `; ${plural(r.rejected.length, 'rejected request')}: ${r.rejected
      .slice(-MAX_LISTED)
      .map((q) => `${q.method} ${q.path} [${q.contentType || 'no content-type'}] -> ${q.status}`)
      .join('; ')}`;
  }
  return `${text}.`;
}
