// The CLI as a user gets it: each workspace package it and a scaffolded service need, packed as
// on publish (pnpm pack rewrites the workspace versions), installed with plain npm into an empty
// project; only the `@datum-telemetry/*` names are swapped for the tarballs, which the registry
// does not have yet (as tests/standalone does). Then the README's quick start runs word for word,
// and a scaffolded Express and Koa service installs, builds and validates clean by the steps
// scaffold prints, with no file edited, as does one in an ESM project that keeps its own
// package.json (no build script).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  childEnv,
  packWorkspace,
  SCOPE,
  withTarballs,
} from '../../../test-support/workspace-packs.mjs';
import { packageDir, repoDir } from './support.js';

/** The commands scaffold printed under "Next steps:", one per line, as a user would copy them. */
function printedSteps(stdout: string): string[] {
  return stdout
    .slice(stdout.indexOf('Next steps:'))
    .split('\n')
    .filter((line) => line.startsWith('       '))
    .map((line) => line.trim());
}

const temp = mkdtempSync(join(tmpdir(), 'datum-cli-packed-'));
const packDir = join(temp, 'tarballs');
let tarballs: Map<string, string>;
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** An `npm install` line with each `@datum-telemetry/x` swapped for its tarball and its closure's. */
const swapped = (words: readonly string[]): string[] => withTarballs(words, tarballs);

function run(command: string, args: readonly string[], cwd: string) {
  const result = spawnSync(command, [...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...childEnv, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function emptyProject(name: string): string {
  const project = mkdtempSync(join(temp, `${name}-`));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'user-project', private: true, type: 'module' }),
  );
  return project;
}

beforeAll(() => {
  mkdirSync(packDir, { recursive: true });
  tarballs = packWorkspace(['cli', 'metrics', 'tracing', 'logging', 'express', 'koa'], packDir);
}, 240_000);

describe('the README quick start, from the packed tarball', () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const block = /<!-- quick start: run by test\/packed\.test\.ts[^\n]*\n```sh\n([\s\S]*?)```/.exec(
    readme,
  )?.[1];
  const lines = (block ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('ships the examples the quick start copies', () => {
    const listing = execFileSync('tar', ['-tzf', tarballs.get('cli')!], { encoding: 'utf8' });
    for (const name of ['compute-service.mjs', 'scenario.json', 'telemetry.json']) {
      expect(listing).toContain(`package/examples/${name}`);
    }
  });

  it('runs word for word in an empty project and ends OK, exit 0', () => {
    expect(lines.at(-1)).toMatch(/^npx datum-telemetry validate /);
    const project = emptyProject('quickstart');
    // Each line as the README gives it, in one shell (the `cd` carries over), with only our
    // package names swapped for the tarballs.
    const script = lines
      .map((line) =>
        line.startsWith('npm install ')
          ? [
              'npm',
              ...swapped(line.split(/\s+/).slice(1)),
              '--no-audit',
              '--no-fund',
              '--loglevel=error',
            ].join(' ')
          : line,
      )
      .join('\n');
    const result = run('bash', ['-euo', 'pipefail', '-c', script], project);
    expect(result.stdout, result.stderr).toContain('OK: 0 violations');
    expect(result.code, result.stderr).toBe(0);
  }, 600_000);
});

describe('a scaffolded service, from the packed tarballs, by the steps scaffold prints', () => {
  let tools: string;
  beforeAll(() => {
    // promtool checks the rules a scaffolded service writes (Debian's prometheus, as CI installs it).
    if (spawnSync('sh', ['-c', 'command -v promtool']).status !== 0) {
      execFileSync('bash', [join(repoDir, 'scripts/install-system-deps.sh'), 'prometheus'], {
        stdio: 'inherit',
        timeout: 300_000,
      });
    }
    // The CLI installed somewhere else, as with `npx @datum-telemetry/cli scaffold` once published.
    tools = emptyProject('tools');
    const install = run(
      'npm',
      ['install', ...swapped([`${SCOPE}cli`]), '--no-audit', '--no-fund', '--loglevel=error'],
      tools,
    );
    expect(install.code, install.stderr).toBe(0);
  }, 300_000);

  it.each(['express', 'koa'])(
    'with %s: installs, builds, starts and passes validate with its own scenario',
    (framework) => {
      const project = join(mkdtempSync(join(temp, `${framework}-`)), 'compute');
      const scaffold = run(
        'npx',
        [
          'datum-telemetry',
          'scaffold',
          ...['--service', 'compute', '--resource', 'VirtualMachine', '--short', 'vm'],
          ...['--framework', framework, '--dir', project],
        ],
        tools,
      );
      expect(scaffold.code, scaffold.stderr).toBe(0);
      const steps = printedSteps(scaffold.stdout);
      expect(steps).toEqual([
        'npm install',
        'npm run build',
        expect.stringMatching(/^npx datum-telemetry validate /),
        'npx datum-telemetry dashboard --definition dist/telemetry/virtual-machine.js --output compute.dashboard.json',
        'npx datum-telemetry alerts --definition dist/telemetry/virtual-machine.js --output compute.rules.yml',
      ]);
      // What the project asks for, as the registry would give it: our packages from the tarballs.
      const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      const ours = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter(
        (name) => name.startsWith(SCOPE),
      );
      const before = readFileSync(join(project, 'package.json'), 'utf8');
      for (const step of steps) {
        const words = step.split(' ');
        const args =
          step === 'npm install'
            ? [
                'install',
                '--no-save',
                ...swapped(ours),
                '--no-audit',
                '--no-fund',
                '--loglevel=error',
              ]
            : words.slice(1);
        const result = run(words[0]!, args, project);
        expect(result.code, `${step}\n${result.stdout}\n${result.stderr}`).toBe(0);
        if (step.startsWith('npx datum-telemetry validate')) {
          expect(result.stdout).toContain('OK: 0 violations, 0 warnings');
          expect(result.stdout).toMatch(/received \d+ spans, \d+ metrics, \d+ log records/);
        }
      }
      expect(existsSync(join(project, 'dist', 'server.js'))).toBe(true);
      // The dashboard has the resource's row; the rules of the SLO stub pass promtool's checks and
      // the tests written beside them.
      const dashboard = JSON.parse(readFileSync(join(project, 'compute.dashboard.json'), 'utf8'));
      expect(JSON.stringify(dashboard)).toContain('compute_vm_request_duration_seconds_bucket');
      const check = run('promtool', ['check', 'rules', 'compute.rules.yml'], project);
      expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
      const test = run('promtool', ['test', 'rules', 'compute.rules.test.yml'], project);
      expect(test.code, `${test.stdout}\n${test.stderr}`).toBe(0);
      const rules = readFileSync(join(project, 'compute.rules.yml'), 'utf8');
      for (const alert of ['VmAvailability', 'VmLatency']) expect(rules).toContain(alert);
      // Nothing was edited: package.json is as scaffold wrote it.
      expect(readFileSync(join(project, 'package.json'), 'utf8')).toBe(before);
    },
    600_000,
  );

  it('in an ESM project with its own package.json and no build script: every printed step runs as printed', () => {
    const project = emptyProject('own');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'user-project', type: 'module', scripts: { test: 'echo' } }),
    );
    const scaffold = run(
      'npx',
      [
        'datum-telemetry',
        'scaffold',
        ...['--service', 'compute', '--resource', 'VirtualMachine', '--short', 'vm'],
        ...['--framework', 'express', '--dir', project],
      ],
      tools,
    );
    expect(scaffold.code, scaffold.stderr).toBe(0);
    expect(scaffold.stdout).toContain('kept (yours)    package.json');
    const steps = printedSteps(scaffold.stdout);
    expect(steps).toEqual([
      expect.stringMatching(/^npm install @datum-telemetry\/logging /),
      expect.stringMatching(/^npm install --save-dev @datum-telemetry\/cli /),
      'npx tsc -p .',
      expect.stringMatching(/^npx datum-telemetry validate /),
      expect.stringMatching(/^npx datum-telemetry dashboard /),
      expect.stringMatching(/^npx datum-telemetry alerts /),
    ]);
    for (const step of steps) {
      const words = step.split(' ');
      // Only our package names are swapped for the tarballs; the rest is the registry's.
      const args =
        words[0] === 'npm'
          ? [...swapped(words.slice(1)), '--no-audit', '--no-fund', '--loglevel=error']
          : words.slice(1);
      const result = run(words[0]!, args, project);
      expect(result.code, `${step}\n${result.stdout}\n${result.stderr}`).toBe(0);
      if (step.startsWith('npx datum-telemetry validate')) {
        expect(result.stdout).toContain('OK: 0 violations, 0 warnings');
      }
    }
    expect(existsSync(join(project, 'compute.rules.yml'))).toBe(true);
  }, 600_000);
});
