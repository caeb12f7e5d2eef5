// `datum-telemetry dashboard` and `alerts` on JSON definitions: the rule files and their tests are
// checked by promtool (Debian's `prometheus` package, installed when missing, as CI does), and
// promtool must also fail them when the alert thresholds are broken on purpose, so the generated
// tests are known to test something. Bad definitions exit 2 and write nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoDir, runInProcess } from './support.js';

const RUNBOOK = 'https://runbooks.example.com/compute/vm';

const definition = {
  format: 'datum-telemetry.metrics/v1',
  service: 'compute',
  metrics: [
    { name: 'compute.vm.active', kind: 'updowncounter', unit: '{vm}', attributes: ['namespace'] },
    {
      name: 'compute.disk.request.duration.seconds',
      kind: 'histogram',
      unit: 's',
      attributes: [],
      buckets: [0.1, 0.3, 1],
    },
  ],
  resources: [
    { kind: 'VirtualMachine', short: 'vm' },
    { kind: 'Disk', short: 'disk' },
  ],
  slo: {
    vmAvailability: { resource: 'vm', availability: 99.9, runbookUrl: RUNBOOK },
    vmCreate: {
      resource: 'vm',
      operation: 'Create',
      availability: 99,
      latency: { threshold: 1, target: 95 },
      runbookUrl: RUNBOOK,
      description: 'VirtualMachines are created quickly',
    },
    diskLatency: {
      resource: 'disk',
      latency: { threshold: 0.3, target: 99.5 },
      runbookUrl: RUNBOOK,
    },
  },
};

let dir: string;

function promtool(...args: string[]) {
  return spawnSync('promtool', args, { encoding: 'utf8', cwd: dir });
}

function writeDefinition(name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

beforeAll(() => {
  if (spawnSync('sh', ['-c', 'command -v promtool']).status !== 0) {
    execFileSync('bash', [join(repoDir, 'scripts/install-system-deps.sh'), 'prometheus'], {
      stdio: 'inherit',
      timeout: 300_000,
    });
  }
  dir = mkdtempSync(join(tmpdir(), 'datum-alerts-'));
}, 320_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('alerts', () => {
  it('writes a rule file promtool checks clean and tests that pass', async () => {
    const file = writeDefinition('compute.json', definition);
    const run = await runInProcess(
      ['alerts', '--definition', file, '--output', 'compute.rules.yml'],
      {
        cwd: dir,
      },
    );
    expect(run.stderr).toContain('(5 groups, 8 alerts)');
    expect(run.code).toBe(0);
    const check = promtool('check', 'rules', 'compute.rules.yml');
    expect(check.status, check.stdout + check.stderr).toBe(0);
    // 2 resources x 5 recording rules; 4 SLIs x (7 windows + 2 alerts).
    expect(check.stdout).toContain('SUCCESS: 46 rules found');
    const test = promtool('test', 'rules', 'compute.rules.test.yml');
    expect(test.status, test.stdout + test.stderr).toBe(0);
    const tests = readFileSync(join(dir, 'compute.rules.test.yml'), 'utf8');
    // Eight profiles per SLI, each saying of both its alerts whether they fire.
    expect(tests.match(/^ {2}- name: /gm)).toHaveLength(4 * 8);
    // About twice the budget opens a ticket and pages no one (the SRE workbook's split).
    expect(tests).toContain(
      '- name: "vmAvailability availability, twice the error budget (0.2% failing (5xx)): ComputeVmAvailabilityFastBurn stays quiet, ComputeVmAvailabilitySlowBurn fires"',
    );
    // A burn that stopped fires neither alert of the SLI... but the ticket, over the page's burn.
    expect(tests).toContain(
      'diskLatency latency, a ticket burn that stopped 375 minutes ago (every request slower than 0.3 s for 720 minutes): ComputeDiskLatencyFastBurn stays quiet, ComputeDiskLatencySlowBurn stays quiet"',
    );
    expect(tests).toContain(
      'diskLatency latency, a page burn that stopped 45 minutes ago (every request slower than 0.3 s for 360 minutes): ComputeDiskLatencyFastBurn stays quiet, ComputeDiskLatencySlowBurn fires"',
    );
    const rules = readFileSync(join(dir, 'compute.rules.yml'), 'utf8');
    expect(rules).toContain('alert: "ComputeVmCreateLatencyFastBurn"');
    expect(rules).toContain(`runbook_url: "${RUNBOOK}"`);
    // The latency SLI counts the requests in the bucket of the threshold (1 s: "1" or "1.0").
    expect(rules).toContain(
      String.raw`compute_vm_request_duration_seconds_bucket{operation=\"Create\", le=~\"1(\\\\.0)?\"}`,
    );
    expect(rules).toContain(String.raw`compute_disk_request_duration_seconds_bucket{le=\"0.3\"}`);
  }, 120_000);

  it('the generated tests fail when an alert cannot fire, or fires within the budget', async () => {
    const rules = readFileSync(join(dir, 'compute.rules.yml'), 'utf8');
    // Alerts that need 1000x the budget never fire: the "fires" cases must catch it.
    writeFileSync(
      join(dir, 'compute.rules.yml'),
      rules.replace(/\((14\.4|6|3|1) \* /g, '(1000 * '),
    );
    const deaf = promtool('test', 'rules', 'compute.rules.test.yml');
    expect(deaf.status).not.toBe(0);
    expect(deaf.stdout + deaf.stderr).toContain('alertname: ComputeVmAvailabilityFastBurn');
    // A ticket on any error at all fires within the budget: the "quiet" cases must catch it.
    writeFileSync(
      join(dir, 'compute.rules.yml'),
      rules.replace(/\(1 \* \(1 - [0-9.]+\)\)/g, '(0)'),
    );
    const noisy = promtool('test', 'rules', 'compute.rules.test.yml');
    expect(noisy.status).not.toBe(0);
    expect(noisy.stdout + noisy.stderr).toContain('SlowBurn');
    writeFileSync(join(dir, 'compute.rules.yml'), rules);
    expect(promtool('test', 'rules', 'compute.rules.test.yml').status).toBe(0);
  }, 240_000);

  it('the generated tests tell a page from a ticket, and a burn from one that stopped', () => {
    const rules = readFileSync(join(dir, 'compute.rules.yml'), 'utf8');
    const mutants: [what: string, mutate: (text: string) => string, caught: RegExp][] = [
      // Pages at the ticket's burn rates: the 2x case must catch it.
      [
        'page factors 14.4 and 6 set to 1',
        (text) => text.replace(/\((14\.4|6) \* /g, '(1 * '),
        /twice the error budget.*FastBurn stays quiet/,
      ],
      ['page factor 6 set to 5', (text) => text.replace(/\(6 \* /g, '(5 * '), /just below 6x/],
      [
        'ticket factor 1 set to 0.8',
        (text) => text.replace(/\(1 \* /g, '(0.8 * '),
        /just below 1x/,
      ],
      // The short windows read as the long ones: a burn that stopped still fires.
      [
        'short windows 5m and 30m read as 1h and 6h',
        (text) =>
          text
            .replace(/ratio_rate5m\{/g, 'ratio_rate1h{')
            .replace(/ratio_rate30m\{/g, 'ratio_rate6h{'),
        /a page burn that stopped/,
      ],
      [
        'short windows 2h and 6h read as 1d and 3d',
        (text) =>
          text
            .replace(/ratio_rate6h\{/g, 'ratio_rate3d{')
            .replace(/ratio_rate2h\{/g, 'ratio_rate1d{'),
        /a ticket burn that stopped/,
      ],
    ];
    try {
      for (const [what, mutate, caught] of mutants) {
        const mutated = mutate(rules);
        expect(mutated, what).not.toBe(rules);
        writeFileSync(join(dir, 'compute.rules.yml'), mutated);
        const run = promtool('test', 'rules', 'compute.rules.test.yml');
        expect(run.status, what).not.toBe(0);
        expect(run.stdout + run.stderr, what).toMatch(caught);
      }
    } finally {
      writeFileSync(join(dir, 'compute.rules.yml'), rules);
    }
  }, 240_000);

  it.each([83.34, 90, 95, 99, 99.9, 99.99])(
    'a target of %s, availability and latency: the generated tests pass',
    async (target) => {
      const slo = {
        avail: { resource: 'vm', availability: target, runbookUrl: RUNBOOK },
        latency: {
          resource: 'disk',
          operation: 'List',
          latency: { threshold: 0.3, target },
          runbookUrl: RUNBOOK,
        },
      };
      const file = writeDefinition(`target-${target}.json`, { ...definition, slo });
      const rules = `target-${target}.yml`;
      const run = await runInProcess(['alerts', '--definition', file, '--output', rules], {
        cwd: dir,
      });
      expect(run.code, run.stderr).toBe(0);
      const test = promtool('test', 'rules', `target-${target}.test.yml`);
      expect(test.status, test.stdout + test.stderr).toBe(0);
      const tests = readFileSync(join(dir, `target-${target}.test.yml`), 'utf8');
      expect(tests.match(/^ {2}- name: /gm)).toHaveLength(2 * 8);
      // Each alert fires in its cases above its threshold and not below, whatever the target.
      for (const sli of ['avail availability', 'latency latency']) {
        for (const burn of ['FastBurn', 'SlowBurn']) {
          for (const [side, verdict] of [
            ['above', 'fires'],
            ['below', 'stays quiet'],
          ]) {
            const pattern = `- name: "${sli}, just ${side} \\d+x [^"]*\\w${burn} ${verdict}`;
            expect(tests).toMatch(new RegExp(pattern));
          }
        }
      }
    },
    60_000,
  );

  it.each([
    [50, 'availability'],
    [80, 'availability'],
    [83.33, 'availability'],
    [83.33, 'latency.target'],
  ])(
    'a target of %s (%s) that no page could fire for: exit 2, naming the lowest that works',
    async (target, field) => {
      const out = mkdtempSync(join(dir, 'low-'));
      const objective =
        field === 'availability'
          ? { resource: 'vm', availability: target, runbookUrl: RUNBOOK }
          : { resource: 'vm', latency: { threshold: 1, target }, runbookUrl: RUNBOOK };
      const file = writeDefinition(`low-${target}-${field}.json`, {
        ...definition,
        slo: { low: objective },
      });
      const run = await runInProcess(['alerts', '--definition', file, '--output', 'r.yml'], {
        cwd: out,
      });
      expect(run.code).toBe(2);
      const left = Number((100 - target).toPrecision(12));
      expect(run.stderr).toBe(
        `datum-telemetry alerts: slo.low.${field}: ${target} leaves an error budget of ${left} %, so the page alert could never fire: it needs an error ratio above 6 x ${left} %, and with every request ${field === 'availability' ? 'failing' : 'too slow'} it is 100 %; the burn-rate alerts need a target of at least 83.34\n`,
      );
      expect(readdirSync(out)).toEqual([]);
    },
  );

  it('alert names say each word once, and stay unique', async () => {
    const slo = Object.fromEntries(
      [
        ['vm', { availability: 99 }],
        ['vmAvailability', { availability: 99.5 }],
        ['computeApi', { availability: 99, latency: { threshold: 1, target: 99 } }],
        ['vmLatency', { latency: { threshold: 1, target: 99 } }],
        ['compute', { availability: 99 }],
      ].map(([name, objective]) => [
        name,
        { resource: 'vm', runbookUrl: RUNBOOK, ...(objective as object) },
      ]),
    );
    const file = writeDefinition('names.json', { ...definition, slo });
    const run = await runInProcess(['alerts', '--definition', file, '--output', 'names.yml'], {
      cwd: dir,
    });
    expect(run.code, run.stderr).toBe(0);
    const rules = readFileSync(join(dir, 'names.yml'), 'utf8');
    const names = [...rules.matchAll(/alert: "(\w+)FastBurn"/g)].map((m) => m[1]);
    expect(names).toEqual([
      // `vm` and `vmAvailability` would both read ComputeVmAvailability: both keep every word.
      'ComputeVmAvailability',
      'ComputeVmAvailabilityAvailability',
      'ComputeApiAvailability',
      'ComputeApiLatency',
      'ComputeVmLatency',
      'ComputeComputeAvailability',
    ]);
    expect(promtool('check', 'rules', 'names.yml').status).toBe(0);
    const test = promtool('test', 'rules', 'names.test.yml');
    expect(test.status, test.stdout + test.stderr).toBe(0);
  }, 60_000);

  it('prints the rule file on stdout without --output', async () => {
    const file = writeDefinition('stdout.json', definition);
    const run = await runInProcess(['alerts', '--definition', file], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^groups:\n {2}- name: "compute\.vm\.requests"\n/);
  });

  const bad: [what: string, change: (d: typeof definition) => unknown, message: RegExp][] = [
    [
      'an availability of 100',
      (d) => ({ ...d, slo: { x: { resource: 'vm', availability: 100, runbookUrl: RUNBOOK } } }),
      /slo\.x\.availability: got 100; expected a percentage greater than 0 and less than 100/,
    ],
    [
      'an availability of 0',
      (d) => ({ ...d, slo: { x: { resource: 'vm', availability: 0, runbookUrl: RUNBOOK } } }),
      /slo\.x\.availability: got 0; expected a percentage greater than 0 and less than 100/,
    ],
    [
      'a latency target of 100.5',
      (d) => ({
        ...d,
        slo: {
          x: { resource: 'vm', latency: { threshold: 1, target: 100.5 }, runbookUrl: RUNBOOK },
        },
      }),
      /slo\.x\.latency\.target: got 100\.5; expected a percentage/,
    ],
    [
      'a latency threshold between buckets',
      (d) => ({
        ...d,
        slo: {
          x: { resource: 'vm', latency: { threshold: 0.3, target: 99 }, runbookUrl: RUNBOOK },
        },
      }),
      /slo\.x\.latency\.threshold: 0\.3 s is not a bucket boundary of the vm request duration histogram.*use one of 0\.005, 0\.01, 0\.025, 0\.05, 0\.1, 0\.25, 0\.5, 1, 2\.5, 5, 10$/m,
    ],
    [
      'a threshold outside the declared buckets of the histogram',
      (d) => ({
        ...d,
        slo: {
          x: { resource: 'disk', latency: { threshold: 0.25, target: 99 }, runbookUrl: RUNBOOK },
        },
      }),
      /use one of 0\.1, 0\.3, 1$/m,
    ],
    [
      'an SLO on a resource the definition does not declare',
      (d) => ({
        ...d,
        slo: { x: { resource: 'ipaddress', availability: 99, runbookUrl: RUNBOOK } },
      }),
      /slo\.x\.resource: "ipaddress" is not a declared resource, so the definition declares none of its request metrics; declared: vm, disk/,
    ],
    [
      'a misspelt key',
      (d) => ({ ...d, slo: { x: { resource: 'vm', availabilty: 99, runbookUrl: RUNBOOK } } }),
      /slo\.x\.availabilty: unknown option; did you mean "availability"\?/,
    ],
    [
      'no objective at all',
      (d) => ({ ...d, slo: { x: { resource: 'vm', runbookUrl: RUNBOOK } } }),
      /slo\.x: has neither availability nor latency/,
    ],
    [
      'no runbook',
      (d) => ({ ...d, slo: { x: { resource: 'vm', availability: 99 } } }),
      /slo\.x\.runbookUrl: is missing; expected an http\(s\) URL/,
    ],
    [
      'no resource and no SLO',
      (d) => ({ ...d, resources: undefined, slo: undefined }),
      /no rule to write/,
    ],
  ];
  it.each(bad)('%s: exit 2, a clear error, nothing written', async (_what, change, message) => {
    const out = mkdtempSync(join(dir, 'bad-'));
    const file = join(out, 'definition.json');
    writeFileSync(file, JSON.stringify(change(definition)));
    for (const command of ['alerts', 'dashboard'] as const) {
      const run = await runInProcess(
        [command, '--definition', file, '--output', join(out, `out.${command}`)],
        { cwd: out },
      );
      if (command === 'dashboard' && /no rule to write/.test(message.source)) {
        expect(run.code).toBe(0);
        continue;
      }
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(new RegExp(`^datum-telemetry ${command}: `));
    }
    expect(readdirSync(out).filter((f) => f.startsWith('out.alerts'))).toEqual([]);
    expect(existsSync(join(out, 'out.alerts.test.yml'))).toBe(false);
  });

  it('merged definitions: an SLO may name a resource another file declares', async () => {
    const out = mkdtempSync(join(dir, 'merged-'));
    const resources = writeDefinition('merged-resources.json', {
      service: 'compute',
      metrics: [],
      resources: [{ kind: 'VirtualMachine', short: 'vm', durationBuckets: [0.5, 1] }],
    });
    const slo = writeDefinition('merged-slo.json', {
      service: 'compute',
      metrics: [],
      slo: {
        vmFast: { resource: 'vm', latency: { threshold: 1, target: 99 }, runbookUrl: RUNBOOK },
      },
    });
    for (const command of ['alerts', 'dashboard'] as const) {
      const run = await runInProcess(
        [command, '--definition', resources, '--definition', slo, '--output', `out.${command}`],
        { cwd: out },
      );
      expect(run.code, run.stderr).toBe(0);
    }
    const rules = readFileSync(join(out, 'out.alerts'), 'utf8');
    expect(rules).toContain('- name: "compute.slo.vmFast"');
    expect(promtool('test', 'rules', join(out, 'out.alerts.test.yml')).status).toBe(0);
    // Alone, the SLO file still names a resource nothing declares.
    const alone = await runInProcess(['alerts', '--definition', slo], { cwd: out });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain(
      `${slo}.slo.vmFast.resource: "vm" is not a declared resource, so the definition declares none of its request metrics; the definition declares no resource`,
    );
  });

  it('merged definitions: a resource declared again with other buckets is the one thresholds must fit', async () => {
    const out = mkdtempSync(join(dir, 'redeclared-'));
    const first = writeDefinition('redeclared-1.json', {
      service: 'compute',
      metrics: [],
      resources: [{ kind: 'VirtualMachine', short: 'vm', durationBuckets: [0.5, 1] }],
      slo: {
        vmFast: { resource: 'vm', latency: { threshold: 1, target: 99 }, runbookUrl: RUNBOOK },
      },
    });
    const second = writeDefinition('redeclared-2.json', {
      service: 'compute',
      metrics: [],
      resources: [{ kind: 'VirtualMachine', short: 'vm', durationBuckets: [0.25, 2] }],
    });
    for (const command of ['alerts', 'dashboard'] as const) {
      const run = await runInProcess(
        [command, '--definition', first, '--definition', second, '--output', `out.${command}`],
        { cwd: out },
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `datum-telemetry ${command}: (${first} + ${second}).slo.vmFast.latency.threshold: 1 s is not a bucket boundary of the vm request duration histogram, so no series counts the requests below it; use one of 0.25, 2\n`,
      );
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it('usage errors exit 2', async () => {
    expect((await runInProcess(['alerts'], { cwd: dir })).stderr).toMatch(/missing --definition/);
    const tests = await runInProcess(['alerts', '--definition', 'x.json', '--tests', 't.yml'], {
      cwd: dir,
    });
    expect(tests.code).toBe(2);
    expect(tests.stderr).toMatch(/--tests needs --output/);
    const flag = await runInProcess(['alerts', '--definiton', 'x.json'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--definiton'; did you mean --definition\?/);
    const help = await runInProcess(['help', 'alerts']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: datum-telemetry alerts');
  });
});

describe('dashboard', () => {
  interface Panel {
    type: string;
    title: string;
    targets?: { expr?: string; exemplar?: boolean }[];
  }
  async function build(args: string[] = []) {
    const file = writeDefinition('dashboard.json', definition);
    const run = await runInProcess(['dashboard', '--definition', file, ...args], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as {
      uid: string;
      title: string;
      panels: Panel[];
      templating: { list: { name: string }[] };
    };
  }

  it('has a row per resource, a panel per metric of its own and the variables', async () => {
    const dashboard = await build();
    expect(dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'Service',
      'VirtualMachine (vm)',
      'Disk (disk)',
      'compute metrics',
      'Trace',
      'Logs',
    ]);
    // The disk duration histogram is the resource's request histogram: in its row, not twice.
    expect(dashboard.panels.filter((p) => p.title.includes('compute.disk'))).toEqual([]);
    expect(dashboard.panels.map((p) => p.title)).toContain('compute.vm.active');
    expect(dashboard.panels.find((p) => p.title === 'compute.vm.active')!.targets![0]!.expr).toBe(
      'sum by (namespace) (compute_vm_active{instance=~"$instance"})',
    );
    expect(dashboard.templating.list.map((v) => v.name)).toEqual([
      'datasource',
      'instance',
      'operation',
      'traces',
      'logs',
      'trace_id',
    ]);
  });

  it('its variables filter on labels every series it shows carries', async () => {
    const dashboard = (await build()) as unknown as {
      panels: Panel[];
      templating: { list: { name: string; query?: string }[] };
    };
    const queries = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v.query]));
    // `instance`: on every scraped (or OTLP-pushed) series; the request metrics carry no namespace.
    expect(queries.instance).toBe('label_values(compute_http_requests_active, instance)');
    expect(queries.operation).toBe(
      'label_values({__name__=~"compute_vm_requests_total|compute_disk_requests_total"}, operation)',
    );
    const exprs = dashboard.panels
      .flatMap((p) => p.targets ?? [])
      .flatMap((t) => (t.expr === undefined || t.expr.startsWith('{service_name') ? [] : [t.expr]));
    expect(exprs.length).toBeGreaterThan(5);
    for (const expr of exprs) {
      expect(expr).not.toContain('$namespace');
      // Every selector of every query is narrowed by instance.
      for (const selector of expr.match(/[a-z_:]+\{[^}]*\}/g) ?? []) {
        expect(selector).toContain('instance=~"$instance"');
      }
    }
    // Without a resource no series carries `operation`, and no panel would use it: no variable.
    const file = writeDefinition('no-resources.json', {
      ...definition,
      resources: undefined,
      slo: undefined,
    });
    const run = await runInProcess(['dashboard', '--definition', file], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const bare = JSON.parse(run.stdout) as { templating: { list: { name: string }[] } };
    expect(bare.templating.list.map((v) => v.name)).toEqual([
      'datasource',
      'instance',
      'traces',
      'logs',
      'trace_id',
    ]);
  });

  it('--no-logs keeps the trace panel and the trace id box; --no-traces keeps the logs panel and the box', async () => {
    for (const [flag, kept] of [
      ['--no-logs', 'traces'],
      ['--no-traces', 'logs'],
    ] as const) {
      const dashboard = await build([flag]);
      const panels = dashboard.panels.filter((p) => p.type === 'traces' || p.type === 'logs');
      expect(
        panels.map((p) => p.type),
        flag,
      ).toEqual([kept]);
      expect(
        dashboard.templating.list.map((v) => v.name),
        flag,
      ).toEqual(['datasource', 'instance', 'operation', kept, 'trace_id']);
    }
  });

  it('--no-traces and --no-logs leave out exemplars, the trace and logs panels and their variables', async () => {
    const dashboard = await build([
      '--no-traces',
      '--no-logs',
      '--title',
      'Compute',
      '--uid',
      'c1',
    ]);
    expect(dashboard.title).toBe('Compute');
    expect(dashboard.uid).toBe('c1');
    expect(dashboard.panels.some((p) => p.type === 'logs' || p.type === 'traces')).toBe(false);
    expect(
      dashboard.panels.some((p) => p.type === 'row' && ['Trace', 'Logs'].includes(p.title)),
    ).toBe(false);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual([
      'datasource',
      'instance',
      'operation',
    ]);
    expect(dashboard.panels.flatMap((p) => p.targets ?? []).some((t) => t.exemplar === true)).toBe(
      false,
    );
  });

  it("is the foundation SDK's dashboard model: its schema version and defaults", async () => {
    const json = (await build()) as unknown as Record<string, unknown>;
    const defaults = defaultDashboard();
    expect(json.schemaVersion).toBe(defaults.schemaVersion);
    expect(json).toMatchObject({
      editable: defaults.editable,
      graphTooltip: defaults.graphTooltip,
      timezone: defaults.timezone,
    });
  });

  it('the main help lists both commands', async () => {
    const help = await runInProcess(['--help']);
    expect(help.stdout).toMatch(/^ {2}dashboard {2}/m);
    expect(help.stdout).toMatch(/^ {2}alerts {5}/m);
  });

  it('a definition without a service: exit 2', async () => {
    const file = writeDefinition('no-service.json', { metrics: [] });
    const run = await runInProcess(['dashboard', '--definition', file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/names no service/);
    expect(run.stdout).toBe('');
  });
});
