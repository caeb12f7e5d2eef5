import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError, ExitCode, UsageError } from '../errors.js';
import type { FlagOptions } from '../flags.js';
import { choiceFlag, parseFlags } from '../flags.js';
import type { CliIo, ScaffoldFramework, ScaffoldOptions } from '../types.js';
import type { FileAction, PlannedFile } from './plan.js';
import { planFiles, writePlanned } from './plan.js';
import { checkProjectDir } from './project-dir.js';
import { nextSteps, scaffoldFiles } from './templates.js';

export const SCAFFOLD_HELP = `Usage: datum-telemetry scaffold --service NAME --resource KIND --short SEGMENT --framework express|koa [options]

Writes the telemetry wiring of a service in TypeScript, under src/telemetry/: the set-up of traces,
metrics and logs, the typed metric definition and span helpers of the resource, and the middleware
hook-up. Around it, where they are absent, a runnable ESM project: package.json (the packages, at
the versions this CLI is tested with), tsconfig.json, src/server.ts (the resource's routes on an
in-memory store) and scenario.json (requests for \`datum-telemetry validate\`); a project's own
files are never changed. Then prints the next steps. The same options always write the same bytes.

Options:
  --service NAME        the service name, the first metric segment (compute)
  --resource KIND       the resource kind, PascalCase (VirtualMachine)
  --short SEGMENT       the resource's metric segment (vm): metrics are {service}.{short}.*
  --framework NAME      express or koa
  --group GROUP         the API group (default {service}.datumapis.com)
  --plural NAME         the resource's plural in paths (default: the kind in lower case, made plural: ipaddresses)
  --dir DIR             the project directory (default .)
  --force               overwrite files that were changed since they were written
  --dry-run             list what would be written, and write nothing
  -h, --help            this help

Exit codes: 0 written (or nothing to do), 1 changed files would be overwritten (use --force),
2 bad usage or a name that breaks the conventions.
`;

const LABELS: Readonly<Partial<Record<FileAction, string>>> = {
  create: 'created',
  update: 'updated',
  overwrite: 'overwritten',
  unchanged: 'unchanged',
  keep: 'kept (yours)',
};
const DRY_RUN_LABELS: Readonly<Partial<Record<FileAction, string>>> = {
  create: 'would create',
  update: 'would update',
  overwrite: 'would overwrite',
  unchanged: 'unchanged',
  keep: 'kept (yours)',
};

const NOT_ESM =
  'Warning: package.json has no "type": "module". The @datum-telemetry packages and the code in\nsrc/telemetry are ES modules: set "type": "module" (and "module": "NodeNext" in tsconfig.json).';

/** What the next steps need of a package.json that is the project's own. */
interface OwnManifest {
  readonly esm: boolean;
  readonly scripts: readonly string[];
}

/**
 * The project's own package.json, when it keeps it (`undefined` when it is scaffold's, or cannot
 * be read as JSON): whether it says `"type": "module"`, and the names of its scripts.
 */
async function ownManifest(
  dir: string,
  planned: readonly PlannedFile[],
): Promise<OwnManifest | undefined> {
  if (planned.find((f) => f.path === 'package.json')?.action !== 'keep') return undefined;
  try {
    const manifest: unknown = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const { type, scripts } = (manifest ?? {}) as { type?: unknown; scripts?: unknown };
    return {
      esm: type === 'module',
      scripts:
        typeof scripts === 'object' && scripts !== null && !Array.isArray(scripts)
          ? Object.keys(scripts)
          : [],
    };
  } catch {
    return undefined;
  }
}

interface ScaffoldArgs extends ScaffoldOptions {
  readonly dir: string;
  readonly force: boolean;
  readonly dryRun: boolean;
}

const SCAFFOLD_FLAGS: FlagOptions = {
  service: { type: 'string' },
  resource: { type: 'string' },
  short: { type: 'string' },
  framework: { type: 'string' },
  group: { type: 'string' },
  plural: { type: 'string' },
  dir: { type: 'string' },
  force: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function parse(argv: readonly string[]): ScaffoldArgs | 'help' {
  const values = parseFlags(argv, SCAFFOLD_FLAGS);
  if (values.help === true) return 'help';
  const str = (k: string) => values[k] as string | undefined;
  const missing = ['service', 'resource', 'short', 'framework'].filter((k) => str(k) === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `missing ${missing.map((k) => `--${k}`).join(', ')}; for example: scaffold --service compute --resource VirtualMachine --short vm --framework express`,
    );
  }
  const framework = choiceFlag<ScaffoldFramework>('framework', str('framework'), [
    'express',
    'koa',
  ]);
  return {
    service: str('service')!,
    resource: str('resource')!,
    short: str('short')!,
    framework,
    ...(str('group') === undefined ? {} : { group: str('group')! }),
    ...(str('plural') === undefined ? {} : { plural: str('plural')! }),
    dir: str('dir') ?? '.',
    force: values.force === true,
    dryRun: values['dry-run'] === true,
  };
}

/**
 * `datum-telemetry scaffold`: returns the exit code (0 written or nothing to do, 1 refused to
 * overwrite changed files, 2 usage or a name that breaks the conventions).
 */
export async function runScaffold(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parse(argv);
    if (args === 'help') {
      io.stdout.write(SCAFFOLD_HELP);
      return ExitCode.Ok;
    }
    const files = scaffoldFiles(args);
    const dir = resolve(io.cwd, args.dir);
    await checkProjectDir(dir, args.dir);
    // What the other framework's run writes: a package.json still as that run wrote it is
    // scaffold's, not the project's, when --framework is switched.
    const other = args.framework === 'express' ? 'koa' : 'express';
    const alsoWritten = new Map(
      scaffoldFiles({ ...args, framework: other }).map((f) => [f.path, f.content]),
    );
    const planned = await planFiles(dir, files, args.force, alsoWritten);
    const conflicts = planned.filter((f) => f.action === 'conflict');
    if (conflicts.length > 0) {
      const one = conflicts.length === 1;
      io.stderr.write(
        `datum-telemetry scaffold: ${one ? 'a file was' : `${conflicts.length} files were`} changed since scaffold wrote ${one ? 'it' : 'them'}; nothing was written. Run again with --force to overwrite:\n${conflicts.map((f) => `  ${f.path}\n`).join('')}`,
      );
      return ExitCode.Violations;
    }
    if (!args.dryRun) {
      try {
        await writePlanned(dir, planned);
      } catch (error) {
        throw new CliError(`cannot write in ${dir}: ${(error as Error).message}`);
      }
    }
    const labels = args.dryRun ? DRY_RUN_LABELS : LABELS;
    for (const file of planned)
      io.stdout.write(`${labels[file.action]!.padEnd(15)} ${file.path}\n`);
    if (args.dryRun) io.stdout.write(`(dry run: nothing was written in ${dir})\n`);
    else if (planned.some((f) => f.action !== 'unchanged' && f.action !== 'keep')) {
      const ours = planned
        .filter((f) => f.starter === true && f.action !== 'keep')
        .map((f) => f.path);
      const manifest = await ownManifest(dir, planned);
      if (manifest?.esm === false) io.stdout.write(`\n${NOT_ESM}\n`);
      io.stdout.write(`\n${nextSteps(args, ours, manifest?.scripts)}`);
    } else io.stdout.write('everything is up to date: nothing was written\n');
    return ExitCode.Ok;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`datum-telemetry scaffold: ${error.message}\n`);
    return ExitCode.Usage;
  }
}
