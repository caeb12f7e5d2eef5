// Types of openmetrics-oracle.mjs: Debian's strict OpenMetrics parser (python3-prometheus-client),
// the oracle of the packages' OpenMetrics tests.

export interface OracleExemplar {
  readonly labels: Record<string, string>;
  readonly value: number | string;
  readonly timestamp: number | null;
}

export interface OracleSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** A number, or `'NaN'`, `'+Inf'`, `'-Inf'`. */
  readonly value: number | string;
  readonly exemplar: OracleExemplar | null;
}

export interface OracleFamily {
  readonly name: string;
  readonly type: string;
  readonly unit: string;
  readonly help: string;
  readonly samples: OracleSample[];
}

/**
 * Makes the parser available: already there, or installed with apt. Returns why it cannot be when
 * apt itself is missing; throws when apt is there but the install fails (that is a real failure).
 */
export function ensureOpenMetricsParser():
  | { available: true }
  | { available: false; reason: string };

/** Parses with the strict parser: the families, or an error naming what is invalid. */
export function parseOpenMetrics(
  text: string,
): { families: OracleFamily[]; error?: undefined } | { error: string; families?: undefined };

/** Parses with the strict parser and throws with the exposition when it is not valid. */
export function validOpenMetrics(text: string): Map<string, OracleFamily>;
