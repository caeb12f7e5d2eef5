// A definition is data a CI gate trusts: a near miss of a known key (`atributes`, `Service`,
// `shrot`) would silently drop what it declares and let the run pass, so it is refused with the
// key's path and a did-you-mean (exit 2). Other unknown keys are ignored: the format only adds
// fields, and an older CLI must read a newer writer's definitions.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineMetrics } from '@datum-telemetry/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeDefinition } from '../src/index.js';
import { example, runBin } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'datum-cli-definition-typos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const definition = defineMetrics({
  service: 'compute',
  metrics: {
    vmActive: {
      name: 'compute.vm.active',
      kind: 'updowncounter',
      unit: '{vm}',
      attributes: ['namespace'],
    },
  },
  resources: [
    {
      group: 'compute.datumapis.com',
      plural: 'virtualmachines',
      kind: 'VirtualMachine',
      short: 'vm',
    },
  ],
  slo: {
    vmAvailability: {
      resource: 'vm',
      availability: 99.5,
      runbookUrl: 'https://runbooks.example.com/vm',
    },
  },
});
const json = () => JSON.parse(JSON.stringify(definition.toJSON())) as Record<string, unknown>;

describe('near misses of known keys are refused with a did-you-mean', () => {
  it.each([
    [
      'a metric field',
      (d: Record<string, unknown>) => {
        const [metric] = d.metrics as Record<string, unknown>[];
        metric!.atributes = metric!.attributes;
        delete metric!.attributes;
      },
      'definition.metrics[0].atributes: unknown key; did you mean "attributes"?',
    ],
    [
      'a top-level field',
      (d: Record<string, unknown>) => {
        d.spanz = ['CreateVirtualMachine'];
      },
      'definition.spanz: unknown key; did you mean "spans"?',
    ],
    [
      'a field in another case',
      (d: Record<string, unknown>) => {
        d.Verbs = ['Resize'];
      },
      'definition.Verbs: unknown key; did you mean "verbs"?',
    ],
    [
      'a resource field',
      (d: Record<string, unknown>) => {
        const [resource] = d.resources as Record<string, unknown>[];
        resource!.shrot = 'vm';
      },
      'definition.resources[0].shrot: unknown key; did you mean "short"?',
    ],
    [
      'an operation field',
      (d: Record<string, unknown>) => {
        d.operations = [{ operation: 'Create', knd: 'VirtualMachine', kind: 'VirtualMachine' }];
      },
      'definition.operations[0].knd: unknown key; did you mean "kind"?',
    ],
  ])('%s', (_, change, message) => {
    const data = json();
    change(data);
    expect(() => normalizeDefinition(data)).toThrow(message);
  });
});

describe('what is not a near miss is read as before', () => {
  it('toJSON() of a definition with resources and SLOs has no near miss', () => {
    expect(normalizeDefinition(json()).service).toBe('compute');
  });

  it("a newer writer's field that is far from every known key is ignored", () => {
    const data = { ...json(), generatedBy: 'a newer writer', dashboards: { theme: 'dark' } };
    expect(normalizeDefinition(data)).toEqual(normalizeDefinition(json()));
  });
});

it('validate exits 2 on a definition file with a near miss, before the service starts', async () => {
  const file = join(dir, 'telemetry.json');
  const data = JSON.parse(readFileSync(example('telemetry.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  data.spanz = data.spans ?? ['CreateVirtualMachine'];
  writeFileSync(file, JSON.stringify(data));
  const run = await runBin([
    'validate',
    '--definition',
    file,
    '--',
    process.execPath,
    example('compute-service.mjs'),
  ]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('.spanz: unknown key; did you mean "spans"?');
  expect(run.stdout).not.toContain('OK');
});
