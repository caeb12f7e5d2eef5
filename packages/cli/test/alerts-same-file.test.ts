// `alerts --output F --tests F` would write the promtool tests over the rule file they load: a usage
// error (exit 2), nothing written, whichever way the two paths are spelt.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
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
