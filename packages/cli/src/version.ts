import { readPackageManifest } from '@datum-telemetry/config/manifest';

/** This package's version, read from its package.json (next to dist/ when installed). */
export function packageVersion(): string {
  return readPackageManifest(import.meta.url).version ?? 'unknown';
}
