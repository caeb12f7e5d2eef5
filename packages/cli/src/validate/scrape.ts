import { parsePrometheusText } from '@datum-telemetry/conventions/prometheus';
import { StartupError } from '../errors.js';
import type { PrometheusScrape } from '../types.js';

/**
 * What the validator asks for: OpenMetrics 1.0.0 first (its exemplars are checked), the text format
 * 0.0.4 from a service that does not offer it. The same preference as Prometheus with exemplar
 * storage.
 */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=1, text/plain;version=0.0.4;q=0.5, */*;q=0.1';

/** True when a `Content-Type` is OpenMetrics text (any version; the parser reads 1.0). */
export function isOpenMetricsContentType(contentType: string | null): boolean {
  return /^\s*application\/openmetrics-text\s*(;|$)/i.test(contentType ?? '');
}

/**
 * Fetches and parses a Prometheus endpoint; a `StartupError` when it cannot be read. The body is
 * read as OpenMetrics when the response's `Content-Type` says so, else as the text format 0.0.4.
 */
export async function scrapePrometheus(url: string, timeoutMs = 10_000): Promise<PrometheusScrape> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: SCRAPE_ACCEPT },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    throw new StartupError(
      `cannot scrape --prometheus ${url}: ${(error as Error).message}${code === undefined ? '' : ` (${code})`}`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new StartupError(`cannot scrape --prometheus ${url}: it answered ${response.status}`);
  }
  const openMetrics = isOpenMetricsContentType(response.headers.get('content-type'));
  return {
    url,
    format: openMetrics ? 'openmetrics' : 'text',
    ...parsePrometheusText(text, { openMetrics }),
  };
}
