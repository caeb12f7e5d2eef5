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
import { packageDir, runBin, runInProcess } from './support.js';

const options = ['--service', 'compute', '--resource', 'VirtualMachine', '--short', 'vm'];
const temp = mkdtempSync(join(tmpdir(), 'datum-cli-scaffold-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

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
    const run = await runInProcess([
      'scaffold',
      ...options,
      '--framework',
      'express',
      '--dir',
      dir,
    ]);
    expect(run.code).toBe(0);
    const files = tree(dir);
    expect(Object.keys(files).sort()).toEqual([
      'src/telemetry/index.ts',
      'src/telemetry/middleware.ts',
      'src/telemetry/setup.ts',
      'src/telemetry/virtual-machine.ts',
    ]);
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
    await runInProcess(['scaffold', ...options, '--framework', 'koa', '--dir', a]);
    await runInProcess(['scaffold', ...options, '--framework', 'koa', '--dir', b]);
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
    const again = await runInProcess(['scaffold', ...options, '--framework', 'koa', '--dir', a]);
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n').filter((l) => l.startsWith('unchanged'))).toHaveLength(4);
    expect(again.stdout).toContain('everything is up to date: nothing was written');
    expect(tree(a)).toEqual(expected);
  });

  it('refuses to overwrite a changed file without --force, and writes nothing at all', async () => {
    const dir = newDir();
    await runInProcess(['scaffold', ...options, '--framework', 'express', '--dir', dir]);
    const setup = join(dir, 'src/telemetry/setup.ts');
    writeFileSync(setup, `${readFileSync(setup, 'utf8')}// my change\n`);
    rmSync(join(dir, 'src/telemetry/index.ts'));
    const refused = await runInProcess([
      'scaffold',
      ...options,
      '--framework',
      'express',
      '--dir',
      dir,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'a file was changed since scaffold wrote it; nothing was written',
    );
    expect(refused.stderr).toContain('  src/telemetry/setup.ts\n');
    expect(readFileSync(setup, 'utf8')).toContain('// my change');
    expect(existsSync(join(dir, 'src/telemetry/index.ts'))).toBe(false);

    const forced = await runInProcess([
      'scaffold',
      ...options,
      '--framework',
      'express',
      '--dir',
      dir,
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('overwritten     src/telemetry/setup.ts');
    expect(forced.stdout).toContain('created         src/telemetry/index.ts');
    expect(readFileSync(setup, 'utf8')).not.toContain('// my change');
  });

  it('--dry-run lists what it would write and writes nothing', async () => {
    const dir = newDir();
    const run = await runInProcess([
      'scaffold',
      ...options,
      '--framework',
      'express',
      '--dir',
      dir,
      '--dry-run',
    ]);
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
    expect(readdirSync(dir).length).toBe(dry ? 0 : 1);
  });
});

// The scaffolded project lives under this package, so that Node and tsc resolve the workspace
// packages (@datum-telemetry/*, express, koa, @types/*) through this package's node_modules, as an
// installed project would through its own.
describe('a scaffolded service, wired as the next steps say', () => {
  const root = join(packageDir, '.scaffold-tmp');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const base = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines';
  const scenario = {
    readyPath: '/healthz',
    requests: [
      {
        method: 'POST',
        path: base,
        body: { kind: 'VirtualMachine', metadata: { name: 'vm-1' } },
        expectStatus: 201,
      },
      { method: 'GET', path: `${base}/vm-1`, expectStatus: 200 },
      { method: 'GET', path: `${base}/vm-2`, expectStatus: 404 },
      { method: 'DELETE', path: `${base}/vm-1`, expectStatus: 200 },
    ],
  };
  const routes = {
    express: [
      "const routes = '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines';",
      "const item = '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines/:name';",
      'const store = new Map<string, unknown>();',
      'app.use(express.json());',
      "app.get('/healthz', (_req, res) => { res.send('ok'); });",
      'app.post(routes, async (req, res) => {',
      "  const name = String(req.body?.metadata?.name ?? '');",
      "  await virtualMachineSpans.validate(async () => { if (name === '') throw new Error('metadata.name is required'); });",
      '  store.set(name, req.body);',
      '  vm.active.add(1);',
      "  await virtualMachineSpans.reconcile(async () => { req.log?.info('reconciling', 'name', name); });",
      '  res.status(201).json(req.body);',
      '});',
      'app.get(item, (req, res) => {',
      '  const found = store.get(req.params.name);',
      "  if (found === undefined) { res.status(404).json({ reason: 'NotFound' }); return; }",
      '  res.json(found);',
      '});',
      'app.delete(item, (req, res) => {',
      '  if (!store.delete(req.params.name)) { res.status(404).end(); return; }',
      '  vm.active.add(-1);',
      "  res.json({ status: 'Success' });",
      '});',
    ],
    koa: [
      "const router = new Router({ prefix: '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines' });",
      'const store = new Map<string, unknown>();',
      "app.use(async (ctx, next) => { if (ctx.path === '/healthz') { ctx.body = 'ok'; return; } await next(); });",
      "router.post('/', async (ctx) => {",
      "  let text = '';",
      '  for await (const chunk of ctx.req) text += String(chunk);',
      '  const body = JSON.parse(text) as { metadata?: { name?: string } };',
      "  const name = body.metadata?.name ?? '';",
      "  await virtualMachineSpans.validate(async () => { if (name === '') throw new Error('metadata.name is required'); });",
      '  store.set(name, body);',
      '  vm.active.add(1);',
      "  await virtualMachineSpans.reconcile(async () => { telemetry.logger.info('reconciling', 'name', name); });",
      '  ctx.status = 201;',
      '  ctx.body = body;',
      '});',
      "router.get('/:name', (ctx) => {",
      '  const found = store.get(ctx.params.name!);',
      "  if (found === undefined) { ctx.status = 404; ctx.body = { reason: 'NotFound' }; return; }",
      '  ctx.body = found;',
      '});',
      "router.delete('/:name', (ctx) => {",
      '  if (!store.delete(ctx.params.name!)) { ctx.status = 404; return; }',
      '  vm.active.add(-1);',
      "  ctx.body = { status: 'Success' };",
      '});',
      'app.use(router.routes());',
    ],
  };

  it.each(['express', 'koa'] as const)(
    'with %s: typechecks, starts and validates clean',
    async (framework) => {
      mkdirSync(root, { recursive: true });
      const dir = mkdtempSync(join(root, `${framework}-`));
      const scaffolded = await runInProcess([
        'scaffold',
        ...options,
        '--framework',
        framework,
        '--dir',
        dir,
      ]);
      expect(scaffolded.code, scaffolded.stderr).toBe(0);

      // The entry point is the wiring the next steps print, with routes where its comment says.
      const wiring = /\n {2}2\. [^\n]*\n([\s\S]*?)\n\n {2}3\./
        .exec(scaffolded.stdout)![1]!
        .split('\n')
        .map((l) => l.slice(7));
      const at = wiring.findIndex((l) => l.startsWith('// your routes'));
      expect(at).toBeGreaterThan(0);
      wiring.splice(at, 2, ...routes[framework]);
      if (framework === 'koa') wiring.unshift("import Router from '@koa/router';");
      writeFileSync(join(dir, 'src', 'server.ts'), `${wiring.join('\n')}\n`);
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: `scaffolded-${framework}`, private: true, type: 'module' }),
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2023'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            strict: true,
            verbatimModuleSyntax: true,
            rootDir: 'src',
            outDir: 'dist',
          },
          include: ['src'],
        }),
      );
      writeFileSync(join(dir, 'scenario.json'), JSON.stringify(scenario));

      // tsc of the workspace (TypeScript 7), with the library types checked too.
      const tsc = join(packageDir, 'node_modules', '.bin', 'tsc');
      await promisify(execFile)(tsc, ['-p', dir]).catch(
        (error: { stdout?: string; message: string }) => {
          throw new Error(
            `the scaffolded project does not typecheck:\n${error.stdout ?? error.message}`,
          );
        },
      );

      const run = await runBin(
        [
          'validate',
          '--definition',
          'dist/telemetry/virtual-machine.js',
          '--scenario',
          'scenario.json',
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
