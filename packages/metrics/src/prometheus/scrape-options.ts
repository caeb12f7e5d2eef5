import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import type { ExpositionFormat, ScrapeOptions } from '../types.js';

const scrapeOptionRules: OptionsSchema<ScrapeOptions> = {
  format: rules.oneOf(['prometheus', 'openmetrics']),
};

/**
 * The format `scrape(options)` asks for; rejects with a ConfigError naming the option for options
 * it does not know (`scrape.format: got "json"; expected "prometheus" or "openmetrics"`).
 */
export function checkedScrapeFormat(options: ScrapeOptions | undefined): Promise<ExpositionFormat> {
  try {
    if (options !== undefined) validateOptions<ScrapeOptions>(options, scrapeOptionRules, 'scrape');
    return Promise.resolve(options?.format ?? 'prometheus');
  } catch (error) {
    return Promise.reject(error);
  }
}
