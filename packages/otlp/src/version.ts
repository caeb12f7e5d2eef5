import { readPackageManifest } from '@datum-telemetry/config/manifest';

const manifest = readPackageManifest(import.meta.url);

/** This package's version as published (`unknown` when a bundle dropped its `package.json`). */
export const VERSION: string = manifest.version ?? 'unknown';

/** The `User-Agent` of export requests. */
export const USER_AGENT = `datum-telemetry-otlp/${VERSION}`;
