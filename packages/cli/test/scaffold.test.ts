import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { ValidationFinding } from '../src/index.js';
import { scaffoldFiles } from '../src/index.js';
import { TESTED_VERSIONS } from '../src/scaffold/versions.js';
import { packageDir, runBin, runInProcess } from './support.js';

const options = ['--service', 'compute', '--resource', 'VirtualMachine', '--short', 'vm'];
const temp = mkdtempSync(join(tmpdir(), 'datum-cli-scaffold-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** `datum-telemetry scaffold` of the VirtualMachine resource (`options`) into `dir`, in process. */
function scaffold(dir: string, framework = 'express', ...extra: string[]) {
  return runInProcess(['scaffold', ...options, '--framework', framework, '--dir', dir, ...extra]);
}

function newDir(): string {
  return mkdtempSync(join(temp, 'p-'));
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else out[rel] = readFileSync(join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}

describe('datum-telemetry scaffold', () => {
  it('writes the set-up, the resource definition and span helpers, and the middleware hook-up', async () => {
    const dir = newDir();
    const run = await scaffold(dir);
    expect(run.code).toBe(0);
    const files = tree(dir);
    expect(Object.keys(files).sort()).toEqual([
      'package.json',
      'scenario.json',
      'src/server.ts',
      'src/telemetry/index.ts',
      'src/telemetry/middleware.ts',
      'src/telemetry/setup.ts',
      'src/telemetry/virtual-machine.ts',
      'tsconfig.json',
    ]);
    // A runnable ESM project around the modules: its packages, ES modules, and the scenario.
    const pkg = JSON.parse(files['package.json']!) as {
      type: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.type).toBe('module');
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      '@datum-telemetry/express',
      '@datum-telemetry/logging',
      '@datum-telemetry/metrics',
      '@datum-telemetry/tracing',
      '@opentelemetry/api',
      'express',
    ]);
    expect(Object.keys(pkg.devDependencies).sort()).toEqual([
      '@datum-telemetry/cli',
      '@types/express',
      '@types/node',
      'typescript',
    ]);
    expect(JSON.parse(files['tsconfig.json']!).compilerOptions.module).toBe('NodeNext');
    const scenario = JSON.parse(files['scenario.json']!) as { requests: { path: string }[] };
    expect(scenario.requests[0]!.path).toBe(
      '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines',
    );
    expect(files['src/server.ts']).toContain('app.use(telemetryMiddleware(telemetry));');
    const resource = files['src/telemetry/virtual-machine.ts']!;
    for (const name of [
      'compute.vm.requests.total',
      'compute.vm.active',
      'compute.vm.request.duration.seconds',
    ]) {
      expect(resource).toContain(`name: '${name}'`);
    }
    expect(resource).toContain(
      "createSpanHelper({ operation: 'Reconcile', kind: 'VirtualMachine' })",
    );
    expect(files['src/telemetry/middleware.ts']).toContain("from '@datum-telemetry/express'");
    expect(files['src/telemetry/setup.ts']).toContain('setupTracing({ service: SERVICE })');
    expect(run.stdout).toContain('created         src/telemetry/setup.ts');
    expect(run.stdout).toContain('Next steps:');
  });

  it('is idempotent: the same options give the same bytes, and a second run changes nothing', async () => {
    const [a, b] = [newDir(), newDir()];
    await scaffold(a, 'koa');
    await scaffold(b, 'koa');
    expect(tree(a)).toEqual(tree(b));
    const expected = Object.fromEntries(
      scaffoldFiles({
        service: 'compute',
        resource: 'VirtualMachine',
        short: 'vm',
        framework: 'koa',
      }).map((f) => [f.path, f.content]),
    );
    expect(tree(a)).toEqual(expected);
    const again = await scaffold(a, 'koa');
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n').filter((l) => l.startsWith('unchanged'))).toHaveLength(8);
    expect(again.stdout).toContain('everything is up to date: nothing was written');
    expect(tree(a)).toEqual(expected);
  });

  it('refuses to overwrite a changed file without --force, and writes nothing at all', async () => {
    const dir = newDir();
    await scaffold(dir);
    const setup = join(dir, 'src/telemetry/setup.ts');
    writeFileSync(setup, `${readFileSync(setup, 'utf8')}// my change\n`);
    rmSync(join(dir, 'src/telemetry/index.ts'));
    const refused = await scaffold(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'a file was changed since scaffold wrote it; nothing was written',
    );
    expect(refused.stderr).toContain('  src/telemetry/setup.ts\n');
    expect(readFileSync(setup, 'utf8')).toContain('// my change');
    expect(existsSync(join(dir, 'src/telemetry/index.ts'))).toBe(false);

    const forced = await scaffold(dir, 'express', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('overwritten     src/telemetry/setup.ts');
    expect(forced.stdout).toContain('created         src/telemetry/index.ts');
    expect(readFileSync(setup, 'utf8')).not.toContain('// my change');
  });

  it('switching --framework updates the files it wrote, and still refuses a changed one', async () => {
    const dir = newDir();
    await scaffold(dir);
    const switched = await scaffold(dir, 'koa');
    expect(switched.stderr).toBe('');
    expect(switched.code).toBe(0);
    expect(switched.stdout).toContain('updated         src/telemetry/middleware.ts');
    expect(switched.stdout).toContain('updated         src/server.ts');
    expect(switched.stdout).toContain('unchanged       src/telemetry/setup.ts');
    // package.json cannot carry a stamp, but it is still the one scaffold wrote for express: it is
    // scaffold's, not the project's, so it is updated to koa's packages and the steps say
    // `npm install`.
    expect(switched.stdout).toContain('updated         package.json');
    expect(switched.stdout).not.toContain('kept (yours)');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toEqual(
      JSON.parse(
        scaffoldFiles({
          service: 'compute',
          resource: 'VirtualMachine',
          short: 'vm',
          framework: 'koa',
        }).find((f) => f.path === 'package.json')!.content,
      ),
    );
    expect(switched.stdout).toContain('  1. Install the packages package.json lists');
    const middleware = readFileSync(join(dir, 'src/telemetry/middleware.ts'), 'utf8');
    expect(middleware).toContain("from '@datum-telemetry/koa'");
    expect(middleware).toBe(
      scaffoldFiles({
        service: 'compute',
        resource: 'VirtualMachine',
        short: 'vm',
        framework: 'koa',
      }).find((f) => f.path === 'src/telemetry/middleware.ts')!.content,
    );

    // Changed by hand: switching back is refused, and the edit survives; so does an edited server.
    writeFileSync(join(dir, 'src/telemetry/middleware.ts'), `${middleware}// mine\n`);
    const server = readFileSync(join(dir, 'src/server.ts'), 'utf8').replace('ok', 'fine');
    writeFileSync(join(dir, 'src/server.ts'), server);
    const back = await scaffold(dir);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain('a file was changed since scaffold wrote it');
    expect(back.stderr).toContain('  src/telemetry/middleware.ts\n');
    expect(back.stderr).not.toContain('src/server.ts');
    expect(readFileSync(join(dir, 'src/telemetry/middleware.ts'), 'utf8')).toContain('// mine');
    const forced = await scaffold(dir, 'express', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('overwritten     src/telemetry/middleware.ts');
    expect(forced.stdout).toContain('kept (yours)    src/server.ts');
    expect(forced.stdout).toContain('updated         package.json');
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toBe(server);
  });

  it("leaves a project's own files alone, says what to install and wire, and that it must be ESM", async () => {
    const dir = newDir();
    const own = JSON.stringify({ name: 'mine', private: true });
    writeFileSync(join(dir, 'package.json'), own);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/server.ts'), 'console.log("mine");\n');
    const run = await scaffold(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('kept (yours)    package.json');
    expect(run.stdout).toContain('kept (yours)    src/server.ts');
    expect(run.stdout).toContain('created         tsconfig.json');
    expect(run.stdout).toContain('Warning: package.json has no "type": "module"');
    expect(run.stdout).toContain(
      'npm install @datum-telemetry/logging @datum-telemetry/metrics @datum-telemetry/tracing @datum-telemetry/express @opentelemetry/api express',
    );
    expect(run.stdout).toContain(
      'npm install --save-dev @datum-telemetry/cli @types/express @types/node typescript',
    );
    expect(run.stdout).toContain('2. Wire them in your entry point');
    // Its package.json has no build script: the step runs the compiler itself.
    expect(run.stdout).toContain('       npx tsc -p .\n');
    expect(run.stdout).not.toContain('npm run');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(own);
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toBe('console.log("mine");\n');
  });

  it.each([
    ['express', 'an Express server'],
    ['koa', 'a Koa server'],
  ])(
    'in an ESM project whose package.json has no build script (%s), names no script it lacks',
    async (framework, server) => {
      const dir = newDir();
      const own = JSON.stringify({ type: 'module', scripts: { test: 'echo' } });
      writeFileSync(join(dir, 'package.json'), own);
      const run = await scaffold(dir, framework);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('kept (yours)    package.json');
      expect(run.stdout).not.toContain('Warning');
      // Every `npm run X` the steps print is a script of the project's package.json.
      const named = [...run.stdout.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
      expect(named.filter((script) => script !== 'test')).toEqual([]);
      expect(run.stdout).toContain(
        `2. Build src/server.ts (${server} of the VirtualMachine routes`,
      );
      expect(run.stdout).toContain('       npx tsc -p .\n');
      expect(run.stdout).toContain(
        'package.json has no "build" script; to add one: "build": "tsc -p ."',
      );
      expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(own);
    },
  );

  it("names npm run build when the project's own package.json has a build script", async () => {
    const dir = newDir();
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ type: 'module', scripts: { build: 'tsc -p .' } }),
    );
    const run = await scaffold(dir, 'koa');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('kept (yours)    package.json');
    expect(run.stdout).toContain('       npm run build\n');
    expect(run.stdout).not.toContain('npx tsc');
  });

  it('asks for the versions its own tests install, and the @datum-telemetry packages at its version', () => {
    const cli = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      version: string;
      devDependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries(TESTED_VERSIONS)) {
      expect({ name, version }).toEqual({ name, version: cli.devDependencies[name] });
    }
    for (const dir of ['metrics', 'tracing', 'logging', 'express', 'koa', 'cli']) {
      const pkg = JSON.parse(readFileSync(join(packageDir, '..', dir, 'package.json'), 'utf8')) as {
        version: string;
      };
      expect({ dir, version: pkg.version }).toEqual({ dir, version: cli.version });
    }
  });

  it('--dry-run lists what it would write and writes nothing', async () => {
    const dir = newDir();
    const run = await scaffold(dir, 'express', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('would create    src/telemetry/middleware.ts');
    expect(run.stdout).toContain('dry run: nothing was written');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [
      ['--service', 'Compute-API'],
      '--service: [metric.service.invalid] `Compute-API` cannot be a service name',
    ],
    [['--service', '9lives'], '--service: [metric.service.invalid]'],
    [
      ['--resource', 'virtual_machine'],
      '--resource: [span.name.resource] `virtual_machine` is not a PascalCase resource kind; use `VirtualMachine`',
    ],
    [['--resource', 'Virtual Machine'], '--resource: [span.name.resource]'],
    [
      ['--short', 'VM'],
      '--short: "VM" is not a metric segment (lower case, starting with a letter; letters, digits and _): [metric.name.lowercase]',
    ],
    [['--short', 'v-m'], '--short: "v-m" is not a metric segment'],
    [['--short', '2vm'], '[metric.name.segment-start]'],
    [['--plural', 'Virtual-Machines'], '--plural: [resource.plural]'],
    [['--framework', 'hapi'], '--framework: got "hapi"; expected express or koa'],
    [
      ['--framework', 'Express'],
      '--framework: got "Express"; expected express or koa; did you mean express?',
    ],
    [
      ['--framework', 'expres'],
      '--framework: got "expres"; expected express or koa; did you mean express?',
    ],
    [['--framework', 'KOA'], '; did you mean koa?'],
  ])('refuses %j with the rule it breaks (exit 2)', async (override, message) => {
    const args: Record<string, string> = {
      '--service': 'compute',
      '--resource': 'VirtualMachine',
      '--short': 'vm',
      '--framework': 'express',
    };
    for (let i = 0; i < override.length; i += 2) args[override[i]!] = override[i + 1]!;
    const dir = newDir();
    const run = await runInProcess(['scaffold', ...Object.entries(args).flat(), '--dir', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a --dir that is a file, or under one (exit 2), and writes nothing', async () => {
    const dir = newDir();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'mine\n');
    const onFile = await scaffold(file);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toBe(
      `datum-telemetry scaffold: --dir ${file}: ${file} is a file, not a directory; pass the project's directory (it is created when it does not exist)\n`,
    );
    const under = join(file, 'service');
    const underFile = await scaffold(under);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toContain(
      `--dir ${under}: ${file} is a file, so no directory can be created under it`,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('refuses a project where a file it writes is a directory, or under a file (exit 2), and writes nothing', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'src'), 'mine\n');
    const run = await scaffold(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `cannot read src/telemetry/setup.ts in ${dir} (ENOTDIR); nothing was written`,
    );
    expect(readdirSync(dir)).toEqual(['src']);
    const other = newDir();
    mkdirSync(join(other, 'scenario.json'));
    const again = await scaffold(other, 'koa');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`cannot read scenario.json in ${other} (EISDIR)`);
    expect(readdirSync(other)).toEqual(['scenario.json']);
  });

  it('names the missing flags (exit 2), and prints its help', async () => {
    const run = await runInProcess(['scaffold', '--service', 'compute']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing --resource, --short, --framework');
    const help = await runInProcess(['scaffold', '--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--service',
      '--resource',
      '--short',
      '--framework',
      '--group',
      '--plural',
      '--dir',
      '--force',
      '--dry-run',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });
});

describe('the README scaffold usage', () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const block =
    /<!-- scaffold usage: run by test\/scaffold\.test\.ts -->\s*```sh\n([\s\S]*?)```/.exec(readme);
  const commands = (block?.[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('datum-telemetry '));

  it('has commands to run', () => {
    expect(commands.length).toBeGreaterThanOrEqual(2);
  });

  it.each(commands)('runs `%s` in an empty directory and exits 0', async (line) => {
    const dir = newDir();
    const args = line.replace(/^datum-telemetry /, '').split(/\s+/);
    const run = await runInProcess(args, { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const dry = args.includes('--dry-run');
    expect(run.stdout).toContain(dry ? 'would create' : 'created');
    expect(readdirSync(dir).sort()).toEqual(
      dry ? [] : ['package.json', 'scenario.json', 'src', 'tsconfig.json'],
    );
  });
});

// The scaffolded project lives under this package, so that Node and tsc resolve the workspace
// packages (@datum-telemetry/*, express, koa, @types/*) through this package's node_modules, as an
// installed project would through its own. test/scaffold-packed.test.ts does the same with npm,
// from the packed tarballs.
describe('a scaffolded service, built and validated with no file edited', () => {
  const root = join(packageDir, '.scaffold-tmp');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(['express', 'koa'] as const)(
    'with %s: typechecks, starts and validates clean',
    async (framework) => {
      mkdirSync(root, { recursive: true });
      const dir = mkdtempSync(join(root, `${framework}-`));
      const scaffolded = await scaffold(dir, framework);
      expect(scaffolded.code, scaffolded.stderr).toBe(0);

      // tsc of the workspace (TypeScript 7), with the library types checked too.
      const tsc = join(packageDir, 'node_modules', '.bin', 'tsc');
      await promisify(execFile)(tsc, ['-p', dir]).catch(
        (error: { stdout?: string; message: string }) => {
          throw new Error(
            `the scaffolded project does not typecheck:\n${error.stdout ?? error.message}`,
          );
        },
      );

      // The validate command the next steps print, word for word (npx runs the installed bin).
      const command = /npx (datum-telemetry validate .*)/.exec(scaffolded.stdout)![1]!.split(' ');
      expect(command.slice(-3)).toEqual(['--', 'node', 'dist/server.js']);
      const run = await runBin(
        [
          ...command.slice(1, -3),
          '--format',
          'json',
          '--fail-on',
          'warning',
          '--',
          process.execPath,
          'dist/server.js',
        ],
        { cwd: dir },
      );
      const report = JSON.parse(run.stdout) as {
        findings: ValidationFinding[];
        received: Record<string, number>;
      };
      expect(report.findings).toEqual([]);
      expect(run.code, run.stderr).toBe(0);
      // What was checked is real: every signal arrived, from the middleware and the helpers.
      expect(report.received.spans).toBeGreaterThanOrEqual(6);
      expect(report.received.logRecords).toBeGreaterThanOrEqual(4);
      expect(report.received.logLines).toBeGreaterThanOrEqual(4);
    },
  );
});

describe('in an ESM project with its own package.json and no build script', () => {
  const root = join(packageDir, '.scaffold-tmp');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the build step scaffold prints builds the server and the definition validate reads', async () => {
    mkdirSync(root, { recursive: true });
    const dir = mkdtempSync(join(root, 'own-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ type: 'module', scripts: { test: 'echo' } }),
    );
    const scaffolded = await scaffold(dir);
    expect(scaffolded.code, scaffolded.stderr).toBe(0);
    const build = /^ {7}(npx tsc .*)$/m.exec(scaffolded.stdout)?.[1];
    expect(build).toBe('npx tsc -p .');
    // npx finds tsc in node_modules/.bin: here, the workspace's.
    const tsc = join(packageDir, 'node_modules', '.bin', 'tsc');
    await promisify(execFile)(tsc, build!.split(' ').slice(2), { cwd: dir });
    const definition = /--definition (\S+)/.exec(scaffolded.stdout)![1]!;
    expect(existsSync(join(dir, definition))).toBe(true);
    expect(existsSync(join(dir, 'dist', 'server.js'))).toBe(true);
  });
});

// The short name is a metric segment, not a safe identifier: `app`, `store`, `server` or
// `telemetry` name things in the starter server too, and `new` or `delete` are reserved words. The
// code never uses it as an identifier, so each still typechecks.
describe('a short name that is also an identifier of the starter server, or a reserved word', () => {
  const root = join(packageDir, '.scaffold-tmp');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['app', 'express'],
    ['store', 'koa'],
    ['telemetry', 'express'],
    ['new', 'koa'],
  ] as const)('--short %s with %s typechecks', async (short, framework) => {
    mkdirSync(root, { recursive: true });
    const dir = mkdtempSync(join(root, `${short}-`));
    const scaffolded = await runInProcess([
      'scaffold',
      ...['--service', 'compute', '--resource', 'VirtualMachine', '--short', short],
      ...['--framework', framework, '--dir', dir],
    ]);
    expect(scaffolded.code, scaffolded.stderr).toBe(0);
    const tsc = join(packageDir, 'node_modules', '.bin', 'tsc');
    await promisify(execFile)(tsc, ['-p', dir, '--noEmit']).catch(
      (error: { stdout?: string; message: string }) => {
        throw new Error(`--short ${short} does not typecheck:\n${error.stdout ?? error.message}`);
      },
    );
  });
});
