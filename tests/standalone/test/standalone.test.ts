// Each package as a user gets it: packed (workspace versions rewritten as on publish), then the
// install lines its README gives, run word for word with plain npm in an empty project (only the
// `@datum-telemetry/*` names are swapped for the packed tarballs, which the registry does not have
// yet). The install must print no peer-dependency warning, `npm ls --all` must be clean, no other
// signal package may come along, and the README quick start must run. `.ci/run` runs this file on
// Node 24 and again on Node 22: npm and every child process run on the Node that runs the test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  childEnv,
  packWorkspace,
  SCOPE,
  withTarballs,
  workspaceClosure,
} from '../../../test-support/workspace-packs.mjs';
import type { QuickStartCheck } from './support/quick-start.js';
import {
  documentedOutput,
  jsonLines,
  QUICK_STARTS,
  quickStartBlock,
  repositoryFileUrl,
  runQuickStart,
} from './support/quick-start.js';
import {
  compileWith,
  EXPECTED_ERRORS,
  MODULE_SETTINGS,
  TYPESCRIPT_NOTE,
} from './support/typescript.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SIGNALS = ['metrics', 'tracing', 'logging'];
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

let packDir: string;
let tarballs: Map<string, string>;

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
    // The package and the workspace packages it depends on, as a user gets them from the registry.
    const args = withTarballs(line.slice(1), tarballs);
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

/** Runs a README quick start in `project` and checks what it printed (and served). */
async function expectQuickStartRuns(
  project: string,
  code: string,
  check: QuickStartCheck,
): Promise<void> {
  const run = await runQuickStart(project, code, check, { ...childEnv, OTEL_SERVICE_NAME: '' });
  if (check.kind === 'documented-output') {
    expect(documentedOutput(code).length).toBeGreaterThan(0);
    expect(run.lines).toEqual(documentedOutput(code));
  } else if (check.kind === 'self-check') {
    expect(run.lines.at(-1)).toBe('quickstart ok');
  } else {
    expect(run.response).toEqual({ status: check.status, body: check.body });
    const logs = jsonLines(run.lines);
    const access = logs.filter((line) => line['url.path'] !== undefined);
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ ...check.accessLog, 'url.path': check.path });
    expect(logs.find((line) => line.msg === check.handlerLog)).toBeDefined();
  }
}

beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), 'datum-pack-'));
  tarballs = packWorkspace(PACKAGES, packDir);
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

describe('what every package README says, wherever it is read (npm, a tarball, GitHub)', () => {
  const all = PACKAGES.map((dir) => ({
    dir,
    readme: readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8'),
    repository: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'))
      .repository,
  }));
  // The cli's quick start is a shell session (test/packed.test.ts runs it), not a module.
  const readmes = all.filter(({ dir }) => dir !== 'cli');

  it.each(all)(
    '$dir links the guide by its absolute address, and it exists',
    ({ readme, repository }) => {
      const guide = repositoryFileUrl(repository, 'docs/implementation.md');
      expect(guide).toBe(
        'https://github.com/datum-cloud/datum-telemetry/blob/main/docs/implementation.md',
      );
      expect(readme).toContain(`](${guide})`);
      expect(existsSync(join(root, 'docs', 'implementation.md'))).toBe(true);
      // No relative link that leaves the package: it would be dead in the tarball.
      expect(readme).not.toMatch(/\]\(\.\.\//);
    },
  );

  it.each(readmes)(
    '$dir has a quick start, and says which TypeScript `module` settings work',
    ({ dir, readme }) => {
      expect(quickStartBlock(readme)).toBeDefined();
      expect(QUICK_STARTS[dir]).toBeDefined();
      expect(readme).toContain(TYPESCRIPT_NOTE);
    },
  );

  it('the guide says the same about TypeScript', () => {
    expect(readFileSync(join(root, 'docs', 'implementation.md'), 'utf8')).toContain(
      TYPESCRIPT_NOTE,
    );
  });

  it('reads the quick start and the documented output of a README', () => {
    const md =
      '# x\n## Install\n```js\nno\n```\n## Quick start\n\ntext\n```js\nconsole.log(1);\n// 1\n```\n## Next\n```js\nlater\n```\n';
    expect(quickStartBlock(md)).toBe('console.log(1);\n// 1\n');
    expect(quickStartBlock('# x\n## Use\n```js\na\n```\n')).toBeUndefined();
    expect(
      documentedOutput(
        'console.log(a, b);\n// x y\nconst c = 1;\n// not output\nconsole.log(c);\n// 1\n',
      ),
    ).toEqual(['x y', '1']);
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
    it('installs with no peer warning, `npm ls --all` clean, no other signal, and runs its quick start', async () => {
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
        // Every file of the package the README links to (`examples/...`) is in the tarball.
        const readme = readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8');
        for (const [, linked] of readme.matchAll(/\]\(((?:examples|docs|src)\/[^)#\s]+)\)/g)) {
          expect(
            existsSync(join(project, 'node_modules', '@datum-telemetry', dir, linked!)),
            `${linked} (linked from the README) is in the tarball`,
          ).toBe(true);
        }
        // The README's quick start, copied out of the README as a reader would, run against the
        // installed tarballs (quick-starts.ts says what each must show).
        const check = QUICK_STARTS[dir];
        if (check !== undefined) {
          const code = quickStartBlock(
            readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8'),
          );
          expect(
            code,
            `packages/${dir}/README.md has a js block under "## Quick start"`,
          ).toBeDefined();
          // The shipped example is that code, word for word.
          const shipped = join(
            project,
            'node_modules',
            '@datum-telemetry',
            dir,
            'examples',
            'quickstart.mjs',
          );
          expect(readFileSync(shipped, 'utf8')).toBe(code);
          await expectQuickStartRuns(project, code!, check);
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

  it('logging brings bunyan’s optional native dtrace-provider (a node-gyp install script), and runs without it', async () => {
    const readme = readFileSync(join(root, 'packages', 'logging', 'README.md'), 'utf8');
    const lines = readmeInstallLines('packages/logging/README.md');
    const withOptional = emptyProject('logging-optional');
    const without = emptyProject('logging-no-optional');
    try {
      runInstallLines(withOptional, lines);
      const dtrace = join(withOptional, 'node_modules', 'dtrace-provider', 'package.json');
      expect(existsSync(dtrace)).toBe(true);
      const bunyan = JSON.parse(
        readFileSync(join(withOptional, 'node_modules', 'bunyan', 'package.json'), 'utf8'),
      );
      expect(Object.keys(bunyan.optionalDependencies)).toContain('dtrace-provider');
      const install: string = JSON.parse(readFileSync(dtrace, 'utf8')).scripts.install;
      expect(install).toContain('node-gyp rebuild');
      // The README quotes the script as it is.
      expect(readme).toContain(`\`${install}\``);

      runInstallLines(
        without,
        lines.map((line) => [...line, '--omit=optional']),
      );
      expect(existsSync(join(without, 'node_modules', 'dtrace-provider'))).toBe(false);
      expect(existsSync(join(without, 'node_modules', 'bunyan'))).toBe(true);
      await expectQuickStartRuns(without, quickStartBlock(readme)!, QUICK_STARTS.logging!);
    } finally {
      rmSync(withOptional, { recursive: true, force: true });
      rmSync(without, { recursive: true, force: true });
    }
  }, 300_000);

  it('a TypeScript consumer compiles with the `module` settings the READMEs name, and node16 in CommonJS fails with TS1479', () => {
    const project = emptyProject('typescript');
    try {
      runInstallLines(project, readmeInstallLines('docs/implementation.md'));
      // The versions this repository builds and tests with, as a user's devDependencies.
      const devVersion = (dir: string, name: string): string =>
        JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).devDependencies[name];
      runInstallLines(project, [
        [
          'npm',
          'install',
          '--save-dev',
          `@types/node@${devVersion('tests/standalone', '@types/node')}`,
          `@types/express@${devVersion('packages/express', '@types/express')}`,
        ],
      ]);
      const tsc = join(root, 'tests', 'standalone', 'node_modules', 'typescript', 'bin', 'tsc');
      for (const type of ['module', 'commonjs'] as const) {
        for (const setting of MODULE_SETTINGS) {
          const { codes, output } = compileWith(project, tsc, type, setting);
          expect({ type, setting, codes }, output).toEqual({
            type,
            setting,
            codes: EXPECTED_ERRORS[type][setting],
          });
        }
      }
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
