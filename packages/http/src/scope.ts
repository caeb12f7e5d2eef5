import { readPackageManifest } from '@datum-telemetry/config/manifest';

const manifest = readPackageManifest(import.meta.url);

/** Instrumentation scope of every span and instrument this package creates (from package.json). */
export const SCOPE_NAME: string = manifest.name ?? '@datum-telemetry/http';
/** This package's version (`unknown` when a bundle dropped its `package.json`). */
export const SCOPE_VERSION: string = manifest.version ?? 'unknown';
