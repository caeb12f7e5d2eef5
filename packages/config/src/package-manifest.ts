import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the signal packages read from their own `package.json`. */
export interface PackageManifest {
  /** `@datum-telemetry/tracing`; `undefined` when no manifest was found. */
  readonly name: string | undefined;
  /** The published version; `undefined` when no manifest was found. */
  readonly version: string | undefined;
  /** The `peerDependencies` ranges by package name; `{}` when there are none. */
  readonly peerDependencies: Readonly<Record<string, string>>;
}

const NOT_FOUND: PackageManifest = Object.freeze({
  name: undefined,
  version: undefined,
  peerDependencies: Object.freeze({}),
});

function parse(path: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed !== null && typeof parsed === 'object'
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function stringRecord(value: unknown): Readonly<Record<string, string>> {
  if (value === null || typeof value !== 'object') return NOT_FOUND.peerDependencies;
  return Object.freeze(
    Object.fromEntries(
      Object.entries(value).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  );
}

/**
 * The manifest of the package a module belongs to: pass `import.meta.url`. It is the nearest
 * `package.json` with a `name` above the module, so it is found from `src/` (tests), `dist/` and
 * any depth below them. Read on each call (callers keep the result); never throws: a missing or
 * unreadable manifest (a bundle that dropped it) gives `undefined` name and version.
 */
export function readPackageManifest(moduleUrl: string | URL): PackageManifest {
  let dir: string;
  try {
    dir = dirname(fileURLToPath(moduleUrl));
  } catch {
    return NOT_FOUND;
  }
  for (;;) {
    const manifest = parse(join(dir, 'package.json'));
    if (manifest !== undefined && typeof manifest.name === 'string') {
      return Object.freeze({
        name: manifest.name,
        version: typeof manifest.version === 'string' ? manifest.version : undefined,
        peerDependencies: stringRecord(manifest.peerDependencies),
      });
    }
    const parent = dirname(dir);
    if (parent === dir) return NOT_FOUND;
    dir = parent;
  }
}
