import { createRequire } from 'node:module';
import { ConfigError } from './errors.js';
import { readPackageManifest } from './package-manifest.js';

/** An optional peer dependency of a signal package (a gRPC exporter), made by {@link optionalPeer}. */
export interface OptionalPeer {
  /** The peer's package name: `@opentelemetry/exporter-trace-otlp-grpc`. */
  readonly name: string;
  /**
   * What the package needs it for, and how to install it: `the OTLP protocol "grpc" needs
   * @opentelemetry/exporter-trace-otlp-grpc, an optional peer dependency of @datum-telemetry/tracing
   * that is not installed: run \`npm install @opentelemetry/exporter-trace-otlp-grpc@0.301.0\``. The
   * version is the package's own `peerDependencies` entry.
   */
  missingMessage(reason: string): string;
  /**
   * Throws a `ConfigError` naming `option` and {@link missingMessage} when the peer cannot be
   * resolved from the package. Call it at set-up, so that a missing peer fails there rather than at
   * the first export.
   */
  assertInstalled(option: string, reason: string): void;
  /**
   * Runs `load` (the package's own dynamic import of the peer, so that it resolves from the package
   * and keeps its types) and rejects with {@link missingMessage}, the import error as its `cause`,
   * when it fails.
   */
  load<T>(load: () => Promise<T>, reason: string): Promise<T>;
  /** True when the peer resolves from the package. */
  installed(): boolean;
  /** The version to install: the package's own `peerDependencies` entry (`latest` without one). */
  readonly version: string;
}

/** `name@range`, quoted when the range has characters a shell would read (`^`, `<`, spaces). */
function installSpec(name: string, range: string | undefined): string {
  if (range === undefined || range.trim() === '') return name;
  const spec = `${name}@${range.trim()}`;
  return /^[\w@./:+-]+$/.test(spec) ? spec : `"${spec}"`;
}

/**
 * The optional peer `name` of the package the module `moduleUrl` belongs to (pass
 * `import.meta.url`): one way for every signal package to check for it, load it and say what to
 * install, with the version read from its own `package.json` rather than written out again.
 */
export function optionalPeer(moduleUrl: string | URL, name: string): OptionalPeer {
  const missingMessage = (reason: string): string => {
    const manifest = readPackageManifest(moduleUrl);
    const owner = manifest.name ?? 'this package';
    return `${reason} needs ${name}, an optional peer dependency of ${owner} that is not installed: run \`npm install ${installSpec(name, manifest.peerDependencies[name])}\``;
  };
  const installed = (): boolean => {
    try {
      createRequire(moduleUrl).resolve(name);
      return true;
    } catch {
      return false;
    }
  };
  return {
    name,
    missingMessage,
    installed,
    get version() {
      return readPackageManifest(moduleUrl).peerDependencies[name]?.trim() || 'latest';
    },
    assertInstalled(option: string, reason: string): void {
      if (!installed()) throw new ConfigError(option, missingMessage(reason));
    },
    async load<T>(load: () => Promise<T>, reason: string): Promise<T> {
      try {
        return await load();
      } catch (error) {
        throw new Error(missingMessage(reason), { cause: error });
      }
    },
  };
}
