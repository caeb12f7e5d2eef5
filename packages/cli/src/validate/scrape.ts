import { parsePrometheusText } from '@datum-telemetry/conventions/prometheus';
import { StartupError } from '../errors.js';
import type { PrometheusScrape } from '../types.js';

/** Fetches and parses a Prometheus endpoint; a `StartupError` when it cannot be read. */
export async function scrapePrometheus(url: string, timeoutMs = 10_000): Promise<PrometheusScrape> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'text/plain;version=0.0.4;q=1, application/openmetrics-text;q=0.5, */*;q=0.1',
      },
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
  return { url, ...parsePrometheusText(text) };
}
