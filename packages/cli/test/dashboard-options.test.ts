// buildDashboard's options, from code (the library entry): a bad one fails fast with a ConfigError
// naming it, as every code option of the packages does; good ones change what is built.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@datum-telemetry/config';
import { describe, expect, it } from 'vitest';
import type { DashboardOptions, TelemetryDefinition } from '../src/index.js';
import { buildDashboard } from '../src/index.js';
import { runInProcess } from './support.js';

const definition: TelemetryDefinition = {
  service: 'compute',
  metrics: [],
  spans: [],
  verbs: [],
  kinds: [],
  resources: [{ kind: 'VirtualMachine', short: 'vm' }],
};

function build(options: unknown) {
  return () => buildDashboard(definition, options as DashboardOptions);
}

describe('buildDashboard options', () => {
  it.each([
    [
      'a uid with spaces',
      { uid: 'my dashboard' },
      /^uid: got "my dashboard"; expected up to 40 letters, digits, - and _/,
    ],
    ['a uid of 41 characters', { uid: 'a'.repeat(41) }, /^uid: got "a{41}"/],
    ['an empty uid', { uid: '' }, /^uid: got ""/],
    ['an empty title', { title: '' }, /^title: got ""; expected a non-empty string/],
    ['traces as a string', { traces: 'no' }, /^traces: got "no"; expected true or false/],
    ['logs as a number', { logs: 0 }, /^logs: got 0; expected true or false/],
    ['a misspelt option', { titel: 'x' }, /^titel: unknown option; did you mean "title"\?/],
    ['options that are not an object', 'compute', /expected an object/],
  ])('%s: a ConfigError naming it', (_what, options, message) => {
    expect(build(options)).toThrow(ConfigError);
    expect(build(options)).toThrow(message);
  });

  it('takes good ones', () => {
    const dashboard = buildDashboard(definition, {
      uid: 'compute-ops_1',
      title: 'Compute',
      traces: false,
      logs: false,
    });
    expect(dashboard.uid).toBe('compute-ops_1');
    expect(dashboard.title).toBe('Compute');
    expect(dashboard.templating?.list?.map((v) => v.name)).toEqual([
      'datasource',
      'instance',
      'operation',
    ]);
  });
});

describe('datum-telemetry dashboard', () => {
  it('an empty --title: exit 2 with the reason, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-options-'));
    const file = join(dir, 'definition.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'datum-telemetry.metrics/v1',
        service: 'compute',
        metrics: [],
        resources: [{ kind: 'VirtualMachine', short: 'vm' }],
      }),
    );
    const out = join(dir, 'out.json');
    const run = await runInProcess(
      ['dashboard', '--definition', file, '--title', '', '--output', out],
      {
        cwd: dir,
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^datum-telemetry dashboard: title: got ""; expected a non-empty string/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
