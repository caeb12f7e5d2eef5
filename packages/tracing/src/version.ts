import { readPackageManifest } from '@datum-telemetry/config/manifest';

// Read once from the package's own manifest so the instrumentation scope never drifts from the
// published version (a hard-coded copy would).
const manifest = readPackageManifest(import.meta.url);

/** `@datum-telemetry/tracing`: the default instrumentation scope name. */
export const PACKAGE_NAME: string = manifest.name ?? '@datum-telemetry/tracing';
/** This package's version: the default instrumentation scope version. */
export const PACKAGE_VERSION: string | undefined = manifest.version;
/** This package's version as published (`unknown` when a bundle dropped its `package.json`). */
export const VERSION: string = PACKAGE_VERSION ?? 'unknown';
