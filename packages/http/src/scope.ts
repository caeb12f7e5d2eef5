import { createRequire } from 'node:module';

const manifest = createRequire(import.meta.url)('../package.json') as {
  name: string;
  version: string;
};

/** Instrumentation scope of every span and instrument this package creates (from package.json). */
export const SCOPE_NAME: string = manifest.name;
export const SCOPE_VERSION: string = manifest.version;
