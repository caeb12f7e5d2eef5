import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationFinding } from '../src/index.js';
import type { Run, XmlElement } from './support.js';
import { fixture, parseXml, runBin } from './support.js';

// One run of the CLI against the badly instrumented app, read three ways: JSON on stdout, JUnit to
// a file, and the readable report.
const args = [
  'validate',
  '--definition',
  fixture('bad-definition.json'),
  '--scenario',
  fixture('bad-scenario.json'),
  '--max-series',
  '20',
];
const command = ['--', process.execPath, fixture('bad-app.mjs')];

interface JsonReport {
  ok: boolean;
  service: string;
  summary: { violations: number; warnings: number; info: number };
  checks: { id: string; status: string; findings: number }[];
  findings: ValidationFinding[];
}

let json: Run;
let report: JsonReport;
let junit: Run;
let junitXml: string;
let text: Run;
const dir = mkdtempSync(join(tmpdir(), 'datum-cli-'));

beforeAll(async () => {
  [json, junit, text] = await Promise.all([
    runBin([...args, '--format', 'json', '--quiet', ...command]),
    runBin([...args, '--format', 'junit', '--output', join(dir, 'report.xml'), ...command]),
    runBin([...args, ...command]),
  ]);
  report = JSON.parse(json.stdout) as JsonReport;
  junitXml = readFileSync(join(dir, 'report.xml'), 'utf8');
}, 90_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function finding(rule: string, name: string): ValidationFinding | undefined {
  return report.findings.find((f) => f.rule === rule && f.name === name);
}

describe('validate against a badly instrumented app', () => {
  it('exits 1, with the violations counted', () => {
    expect(json.code).toBe(1);
    expect(junit.code).toBe(1);
    expect(text.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.service).toBe('badapp');
  });

  it.each([
    // planted problem, rule, name, signal
    ['a counter without .total', 'metric.name.counter-suffix', 'badapp.vm.requests', 'metrics'],
    ['a span named doStuff', 'span.name.pascal-case', 'doStuff', 'traces'],
    ['a 404 span marked as an error', 'span.status.4xx-error', 'GET', 'traces'],
    ['a 500 span not marked as an error', 'span.status.5xx-unset', 'GET /boom', 'traces'],
    [
      'a log line in a request without trace ids',
      'log.trace-context.missing',
      'listing virtual machines',
      'logs',
    ],
    [
      'the Authorization header on a span',
      'secret.header',
      'http.request.header.authorization',
      'traces',
    ],
    ['the raw query on a span', 'secret.query', 'url.query?api_key', 'traces'],
    ['the scenario canary in a span', 'secret.canary', 'can…', 'traces'],
    ['a metric past the series budget', 'metric.cardinality', 'badapp.vm.lookups.total', 'metrics'],
    ['a declared metric never made', 'metric.declared.missing', 'badapp.vm.active', 'metrics'],
    [
      'a declared unit not used',
      'metric.declared.unit',
      'badapp.vm.request.duration.seconds',
      'metrics',
    ],
    ['a non-base unit', 'metric.unit.non-base', 'badapp.vm.request.duration.seconds', 'metrics'],
    [
      'a unit word that disagrees with the unit',
      'metric.name.unit-mismatch',
      'badapp.vm.memory.bytes',
      'metrics',
    ],
    ['a declared kind not used', 'metric.declared.kind', 'badapp.vm.queue.depth', 'metrics'],
    [
      'a declared operation without its span',
      'span.expected.missing',
      'DeleteVirtualMachine',
      'traces',
    ],
  ])('reports %s as a violation (%s)', (_, rule, name, signal) => {
    const f = finding(rule, name);
    expect(
      f,
      `${rule} ${name} in ${JSON.stringify(report.findings.map((x) => `${x.rule} ${x.name}`))}`,
    ).toBeDefined();
    expect(f!.level).toBe('violation');
    expect(f!.signal).toBe(signal);
    expect(f!.message.length).toBeGreaterThan(40);
  });

  it('says how to fix each problem, with a corrected name where one exists', () => {
    expect(finding('metric.name.counter-suffix', 'badapp.vm.requests')!.suggestion).toBe(
      'badapp.vm.requests.total',
    );
    expect(finding('metric.cardinality', 'badapp.vm.lookups.total')!.message).toContain(
      '`vm.id` alone has 30 distinct values',
    );
    expect(finding('span.status.4xx-error', 'GET')!.message).toContain(
      'leave the span status unset',
    );
    expect(finding('log.trace-context.missing', 'listing virtual machines')!.message).toContain(
      'req.log',
    );
  });

  it('counts a problem seen on many spans once, with how often it was seen', () => {
    expect(report.findings.filter((f) => f.rule === 'span.name.pascal-case')).toHaveLength(1);
    expect(finding('span.name.pascal-case', 'doStuff')!.count).toBe(3);
  });

  it('is milder with names from other libraries', () => {
    expect(finding('metric.name.service', 'pool.connections.open')!.level).toBe('warning');
    expect(finding('metric.name.semconv', 'http.server.request.duration')!.level).toBe('info');
    expect(report.findings.filter((f) => f.name === 'http.server.request.duration')).toHaveLength(
      1,
    );
  });

  it('does not flag what is right', () => {
    // Within the budget, and 5xx / 4xx spans that are right are not reported.
    expect(
      report.findings.some(
        (f) => f.rule === 'metric.cardinality' && f.name !== 'badapp.vm.lookups.total',
      ),
    ).toBe(false);
    expect(finding('span.expected.missing', 'GET')).toBeUndefined();
    expect(report.findings.some((f) => f.rule === 'scenario.status')).toBe(false);
  });

  it('never prints the secrets it found', () => {
    for (const run of [json, text]) {
      expect(run.stdout).not.toContain('canary-5be1c0de');
      expect(run.stdout).not.toContain('abcdef0123456789');
    }
    expect(junitXml).not.toContain('canary-5be1c0de');
  });

  it('sums the findings in the JSON summary and in each check', () => {
    const levels = (level: string) => report.findings.filter((f) => f.level === level).length;
    expect(report.summary).toEqual({
      violations: levels('violation'),
      warnings: levels('warning'),
      info: levels('info'),
    });
    for (const check of report.checks) {
      const mine = report.findings.filter((f) => f.check === check.id);
      expect(check.findings).toBe(mine.length);
      if (mine.some((f) => f.level === 'violation')) expect(check.status).toBe('failed');
      else expect(check.status).not.toBe('failed');
    }
    expect(report.checks.find((c) => c.id === 'metrics.declared')!.status).toBe('failed');
  });

  it('writes JUnit XML with one testcase per check and a failure per failing check', () => {
    const root = parseXml(junitXml);
    expect(root.name).toBe('testsuites');
    const cases: XmlElement[] = root.children.flatMap((suite) => suite.children);
    expect(cases).toHaveLength(report.checks.length);
    const failed = report.checks.filter((c) => c.status === 'failed');
    expect(Number(root.attributes.failures)).toBe(failed.length);
    for (const check of report.checks) {
      const testcase = cases.find((c) => c.attributes.name!.startsWith(`${check.id}: `));
      expect(testcase, check.id).toBeDefined();
      const failure = testcase!.children.find((c) => c.name === 'failure');
      expect(failure !== undefined, check.id).toBe(check.status === 'failed');
      for (const f of report.findings.filter(
        (x) => x.check === check.id && x.level === 'violation',
      )) {
        expect(failure!.text).toContain(`[${f.rule}] ${f.name}: ${f.message}`);
      }
    }
    expect(junit.stderr).toContain('report written to');
  });

  it('prints the readable report grouped by signal, without colour when not on a terminal', () => {
    const out = text.stdout;
    const order = ['\nmetrics\n', '\ntraces\n', '\nlogs\n'].map((h) => out.indexOf(h));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toContain('violation metric.name.counter-suffix  badapp.vm.requests');
    expect(out).toMatch(/FAILED: \d+ violations/);
    expect(out).not.toContain('\u001b[');
    // Progress goes to stderr, so stdout is the report alone.
    expect(text.stderr).toContain('datum-telemetry: starting');
  });
});
