// Which TypeScript `module` settings compile a project against the packed packages. The packages
// are ES modules only: TypeScript lets a CommonJS project `require()` them under `nodenext` and
// `node20` (Node 22.12+ loads ES modules synchronously), and under `commonjs`; `node16` predates
// that and reports TS1479. Every package README states this in TYPESCRIPT_NOTE, word for word,
// and the standalone test compiles a consumer with each setting to check the sentence.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The sentence every package README carries (one line, so that the check can find it). */
export const TYPESCRIPT_NOTE =
  'TypeScript: the packages are ES modules; set `"module"` to `"nodenext"`, `"node20"` or `"commonjs"` (in an ESM or a CommonJS project alike). With `"node16"`, a CommonJS project fails with TS1479 (it may not `require()` an ES module); an ESM project compiles.';

export type ProjectType = 'module' | 'commonjs';
export const MODULE_SETTINGS = ['nodenext', 'node20', 'node16', 'commonjs'] as const;
export type ModuleSetting = (typeof MODULE_SETTINGS)[number];

/** What the note says: the error codes `tsc` reports for each project type and setting. */
export const EXPECTED_ERRORS: Readonly<Record<ProjectType, Record<ModuleSetting, string[]>>> = {
  module: { nodenext: [], node20: [], node16: [], commonjs: [] },
  commonjs: { nodenext: [], node20: [], node16: ['TS1479'], commonjs: [] },
};

/** A consumer that touches the types of each signal, the adapter and the kernel. */
export const CONSUMER = `import { setupLogging } from '@datum-telemetry/logging';
import { setupMetrics } from '@datum-telemetry/metrics';
import { setupTracing, withSpan } from '@datum-telemetry/tracing';
import { telemetry } from '@datum-telemetry/express';
import express from 'express';

const tracing = setupTracing({ service: 'compute' });
const metrics = setupMetrics({ service: 'compute', prometheus: false });
const log = setupLogging({ service: 'compute' });
const app = express();
app.use(telemetry({ service: 'compute' }));
app.get('/metrics', metrics.metricsHandler);
export const started: Promise<number> = withSpan('GetVirtualMachine', async () => {
  log.logger.info('ready');
  await tracing.forceFlush();
  return 1;
});
`;

/**
 * Writes the project type and the tsconfig for `setting`, runs `tsc --noEmit` and returns the
 * distinct `TSxxxx` codes it reported, with its output for a failure message.
 */
export function compileWith(
  project: string,
  tsc: string,
  type: ProjectType,
  setting: ModuleSetting,
): { codes: string[]; output: string } {
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'user-project', private: true, type }),
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: setting,
        target: 'es2022',
        strict: true,
        noEmit: true,
        esModuleInterop: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files: ['index.ts'],
    }),
  );
  writeFileSync(join(project, 'index.ts'), CONSUMER);
  const run = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: project, encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  return { codes: [...new Set(output.match(/\bTS\d+\b/g) ?? [])].sort(), output };
}
