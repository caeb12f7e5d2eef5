import { readPackageManifest } from '@datum-telemetry/config/manifest';

/** An instrumentation scope: this package's name and version. */
export interface PackageScope {
  readonly name: string;
  readonly version: string | undefined;
}

let scope: PackageScope | undefined;

/**
 * The instrumentation scope of exported log records and of the self-metric, read once from this
 * package's manifest when first needed (a hard-coded copy would drift; a logger-only service never
 * reads it).
 */
export function packageScope(): PackageScope {
  if (scope === undefined) {
    const manifest = readPackageManifest(import.meta.url);
    scope = { name: manifest.name ?? '@datum-telemetry/logging', version: manifest.version };
  }
  return scope;
}
