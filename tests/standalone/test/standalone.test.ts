// Each package as a user gets it: packed (workspace versions rewritten as on publish), then the
// install lines its README gives, run word for word with plain npm in an empty project (only the
// `@datum-telemetry/*` names are swapped for the packed tarballs, which the registry does not have
// yet). The install must print no peer-dependency warning, `npm ls --all` must be clean, no other
// signal package may come along, and the README quick start must run. `.ci/run` runs this file on
// Node 24 and again on Node 22: npm and every child process run on the Node that runs the test.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SIGNALS = ['metrics', 'tracing', 'logging'];
const SCOPE = '@datum-telemetry/';
/** The pnpm the repository pins (`devEngines.packageManager`): it packs as a publish does. */
const PNPM_VERSION: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devEngines
  .packageManager.version;

/** Every published package; those with `examples/quickstart.mjs` run it after the install. */
const PACKAGES = [
  'conventions',
  'config',
  'metrics',
  'tracing',
  'logging',
  'http',
  'express',
  'koa',
  'otlp',
  'otlp-sink',
  'cli',
] as const;

// Under `npx -p node@24 -p pnpm@...`, npm sets `npm_config_package` for every child; a nested
// `npx -y pnpm@x` (or `npm install`) must not see it, or npx reads it as its package list.
const { npm_config_package: _outerNpxPackages, ...childEnv } = process.env;

let packDir: string;
const tarballs = new Map<string, string>();

function manifest(dir: string): { name: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
}

/** The workspace packages a package needs, itself included, transitively. */
function workspaceClosure(dir: string, seen = new Set<string>()): Set<string> {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  for (const dep of Object.keys(manifest(dir).dependencies ?? {})) {
    if (dep.startsWith(SCOPE)) workspaceClosure(dep.slice(SCOPE.length), seen);
  }
  return seen;
}

/** The `npm install` lines of the first `sh` block that has any, in the file's order. */
function installLines(markdown: string): string[][] {
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = (block[1] ?? '')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line.startsWith('npm install '))
      .map((line) => line.split(/\s+/));
    if (lines.length > 0) return lines;
  }
  return [];
}

function readmeInstallLines(path: string): string[][] {
  const lines = installLines(readFileSync(join(root, path), 'utf8'));
  if (lines.length === 0) throw new Error(`${path} gives no npm install line`);
  return lines;
}

/** Runs each `npm install ...` line in `project`, with our packages swapped for their tarballs. */
function runInstallLines(project: string, lines: readonly (readonly string[])[]): string {
  let stderr = '';
  for (const line of lines) {
    const args: string[] = [];
    for (const word of line.slice(1)) {
      if (!word.startsWith(SCOPE)) {
        args.push(word);
        continue;
      }
      // The package and the workspace packages it depends on, as a user gets them from the registry.
      for (const dir of workspaceClosure(word.slice(SCOPE.length))) args.push(tarballs.get(dir)!);
    }
    const result = spawnSync(
      'npm',
      [...args, '--no-audit', '--no-fund', '--loglevel=warn', '--engine-strict'],
      { cwd: project, encoding: 'utf8', timeout: 240_000, env: childEnv },
    );
    stderr += result.stderr;
    if (result.status !== 0) {
      throw new Error(`npm ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
    }
  }
  return stderr;
}

function emptyProject(name: string): string {
  const project = mkdtempSync(join(tmpdir(), `datum-${name}-`));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'user-project', private: true, type: 'module' }),
  );
  return project;
}

/** npm's warnings about peer dependencies (ERESOLVE overrides, missing or invalid peers). */
function peerWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /\bpeer\b|ERESOLVE/i.test(line));
}

/** `npm ls --all`: exit code and what it printed, so a failure shows the problem. */
function npmLs(project: string): { status: number | null; problems: string } {
  const result = spawnSync('npm', ['ls', '--all'], {
    cwd: project,
    encoding: 'utf8',
    env: childEnv,
  });
  return {
    status: result.status,
    problems: `${result.stderr}${result.stdout
      .split('\n')
      // An optional peer that is not installed (the gRPC exporters) is listed as "UNMET OPTIONAL
      // DEPENDENCY": that is the intended state, not a problem.
      .filter((line) => /invalid|missing|extraneous|UNMET (?!OPTIONAL)/i.test(line))
      .join('\n')}`,
  };
}

/** Every installed copy of `name` under `project`, as `version` strings, one per folder. */
function copiesOf(project: string, name: string): string[] {
  const found: string[] = [];
  const walk = (nodeModules: string) => {
    if (!existsSync(nodeModules)) return;
    const candidate = join(nodeModules, name, 'package.json');
    if (existsSync(candidate)) found.push(JSON.parse(readFileSync(candidate, 'utf8')).version);
    for (const entry of readdirSync(nodeModules)) {
      if (entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@')
        ? readdirSync(join(nodeModules, entry)).map((e) => join(entry, e))
        : [entry];
      for (const pkg of scoped) walk(join(nodeModules, pkg, 'node_modules'));
    }
  };
  walk(join(project, 'node_modules'));
  return found;
}

function expectCleanInstall(project: string, stderr: string): void {
  expect(peerWarnings(stderr)).toEqual([]);
  const ls = npmLs(project);
  expect(ls.problems).toBe('');
  expect(ls.status).toBe(0);
}

beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), 'datum-pack-'));
  const needed = new Set<string>();
  for (const dir of PACKAGES) for (const d of workspaceClosure(dir)) needed.add(d);
  for (const dir of needed) {
    execFileSync('npx', ['-y', `pnpm@${PNPM_VERSION}`, 'pack', '--pack-destination', packDir], {
      cwd: join(root, 'packages', dir),
      stdio: 'pipe',
      env: childEnv,
    });
    const prefix = `datum-telemetry-${dir}-`;
    const file = readdirSync(packDir).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
    if (file === undefined) throw new Error(`no tarball for ${dir}`);
    tarballs.set(dir, join(packDir, file));
  }
}, 180_000);

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

describe('the README install lines are what the test runs', () => {
  it('reads the npm install lines of a sh block, comments dropped', () => {
    expect(
      installLines(
        'x\n```js\nnpm install no\n```\n```sh\nnpm install a b\n# only for c:\nnpm install c@1 # c\n```\n',
      ),
    ).toEqual([
      ['npm', 'install', 'a', 'b'],
      ['npm', 'install', 'c@1'],
    ]);
  });

  it('every package README pins no version of a package we depend on, and names @opentelemetry/api where it is a peer', () => {
    for (const dir of PACKAGES) {
      const lines = readmeInstallLines(`packages/${dir}/README.md`);
      const words = lines.flat();
      expect(words).toContain(`${SCOPE}${dir}`);
      // The README's api install takes the registry's current version: no pin to drift.
      expect(words.filter((w) => w.startsWith('@opentelemetry/api@'))).toEqual([]);
    }
  });
});

describe(`on Node ${process.versions.node}`, () => {
  it('runs on Node 22.15 or later, and npm runs on that same Node', () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major > 22 || (major === 22 && minor >= 15)).toBe(true);
    // Outside a package, `npm version` lists the versions of the Node that runs npm.
    const npmVersions = JSON.parse(
      execFileSync('npm', ['version', '--json'], { encoding: 'utf8', cwd: tmpdir() }),
    ) as { node: string };
    expect(npmVersions.node).toBe(process.versions.node);
  }, 60_000);

  describe.each(PACKAGES)('@datum-telemetry/%s, from its README install lines alone', (dir) => {
    it('installs with no peer warning, `npm ls --all` clean, no other signal, and runs its quick start', () => {
      const project = emptyProject(dir);
      try {
        const stderr = runInstallLines(project, readmeInstallLines(`packages/${dir}/README.md`));
        expectCleanInstall(project, stderr);
        const installed = readdirSync(join(project, 'node_modules', '@datum-telemetry')).sort();
        expect(installed).toEqual([...workspaceClosure(dir)].sort());
        for (const signal of SIGNALS) {
          if (signal !== dir) expect(installed).not.toContain(signal);
        }
        // One @opentelemetry/api, the one the README installs, whatever else came along.
        if (existsSync(join(project, 'node_modules', '@opentelemetry'))) {
          expect(copiesOf(project, '@opentelemetry/api').length).toBeLessThanOrEqual(1);
        }
        const example = join(root, 'packages', dir, 'examples', 'quickstart.mjs');
        if (existsSync(example)) {
          cpSync(example, join(project, 'quickstart.mjs'));
          const out = execFileSync(process.execPath, ['quickstart.mjs'], {
            cwd: project,
            encoding: 'utf8',
            timeout: 60_000,
            env: { ...process.env, OTEL_SERVICE_NAME: '' },
          });
          expect(out).toContain('quickstart ok');
        }
      } finally {
        rmSync(project, { recursive: true, force: true });
      }
    }, 300_000);
  });

  it('the guide’s install lines (three signals and an adapter) give one clean tree', () => {
    const project = emptyProject('guide');
    try {
      const stderr = runInstallLines(project, readmeInstallLines('docs/implementation.md'));
      expectCleanInstall(project, stderr);
      expect(copiesOf(project, '@opentelemetry/api')).toHaveLength(1);
      expect(copiesOf(project, '@opentelemetry/core')).toHaveLength(1);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 300_000);

  it('next to an app already on @opentelemetry/sdk-node, one copy of the api and of the SDK core', () => {
    const project = emptyProject('sdk-node');
    try {
      // The app as it was before: the OpenTelemetry Node SDK of the current line, no version given.
      let stderr = runInstallLines(project, [
        ['npm', 'install', '@opentelemetry/sdk-node', '@opentelemetry/api'],
      ]);
      const sdkNode = JSON.parse(
        readFileSync(
          join(project, 'node_modules', '@opentelemetry', 'sdk-node', 'package.json'),
          'utf8',
        ),
      );
      stderr += runInstallLines(project, readmeInstallLines('docs/implementation.md'));
      expectCleanInstall(project, stderr);
      for (const name of [
        '@opentelemetry/api',
        '@opentelemetry/core',
        '@opentelemetry/resources',
        '@opentelemetry/sdk-trace',
        '@opentelemetry/sdk-metrics',
        '@opentelemetry/sdk-logs',
      ]) {
        expect({ name, copies: copiesOf(project, name) }).toEqual({
          name,
          copies: [expect.any(String)],
        });
      }
      // The core is the one sdk-node itself depends on.
      expect(copiesOf(project, '@opentelemetry/core')).toEqual([
        sdkNode.dependencies['@opentelemetry/core'],
      ]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 300_000);
});
