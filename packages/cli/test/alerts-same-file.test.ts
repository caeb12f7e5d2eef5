// `alerts --output F --tests F` would write the promtool tests over the rule file they load: a usage
// error (exit 2), nothing written, whichever way the two paths are spelt.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './support.js';

const definition = {
  format: 'datum-telemetry.metrics/v1',
  service: 'compute',
  metrics: [],
  resources: [{ kind: 'VirtualMachine', short: 'vm' }],
  slo: {
    vmAvailability: { resource: 'vm', availability: 99.9, runbookUrl: 'https://x.example/rb' },
  },
};

describe('alerts --tests on the rule file itself', () => {
  it.each([
    ['the same path', 'rules.yml', 'rules.yml'],
    ['the same file spelt another way', 'rules.yml', './sub/../rules.yml'],
  ])('%s: exit 2, nothing written', async (_what, output, tests) => {
    const dir = mkdtempSync(join(tmpdir(), 'alerts-same-'));
    writeFileSync(join(dir, 'definition.json'), JSON.stringify(definition));
    const run = await runInProcess(
      ['alerts', '--definition', 'definition.json', '--output', output, '--tests', tests],
      { cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^datum-telemetry alerts: --tests names the rule file itself/);
    expect(existsSync(join(dir, 'rules.yml'))).toBe(false);
  });
});

describe('an output file that is a --definition file', () => {
  it.each([
    ['dashboard --output', ['dashboard', '--output', './definition.json']],
    ['alerts --output', ['alerts', '--output', 'definition.json']],
    ['alerts --tests', ['alerts', '--output', 'rules.yml', '--tests', 'sub/../definition.json']],
  ])('%s: exit 2, the definition untouched', async (_what, args) => {
    const dir = mkdtempSync(join(tmpdir(), 'output-definition-'));
    const text = JSON.stringify(definition);
    writeFileSync(join(dir, 'definition.json'), text);
    const [command, ...rest] = args;
    const ordered = await runInProcess([command!, '--definition', 'definition.json', ...rest], {
      cwd: dir,
    });
    expect(ordered.code).toBe(2);
    expect(ordered.stderr).toContain('is a --definition file');
    expect(readFileSync(join(dir, 'definition.json'), 'utf8')).toBe(text);
    expect(existsSync(join(dir, 'rules.yml'))).toBe(false);
  });
});
