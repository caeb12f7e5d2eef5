import { readFileSync } from 'node:fs';

interface PackageManifest {
  readonly name: string;
  readonly version: string;
}

// Read once from the package's own manifest so the instrumentation scope never drifts from the
// published version (a hard-coded copy would).
const manifest = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as PackageManifest;

/** `@datum-telemetry/tracing`: the default instrumentation scope name. */
export const PACKAGE_NAME: string = manifest.name;
/** This package's version: the default instrumentation scope version. */
export const PACKAGE_VERSION: string = manifest.version;
