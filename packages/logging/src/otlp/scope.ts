import { createRequire } from 'node:module';

/** The instrumentation scope of exported log records and of the self-metric. */
export const SCOPE_NAME = '@datum-telemetry/logging';

let version: string | undefined | null = null;

/** This package's version, read once from its manifest (a hard-coded copy would drift). */
export function scopeVersion(): string | undefined {
  if (version !== null) return version;
  try {
    const manifest = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    version = typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    version = undefined;
  }
  return version;
}
