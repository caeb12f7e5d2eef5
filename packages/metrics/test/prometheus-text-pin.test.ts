// The text format 0.0.4 pinned byte for byte: what the endpoint served before OpenMetrics was added,
// and still serves to every scraper that does not ask for OpenMetrics. Exemplars on the data points
// change nothing here (the text format has no place for them).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PrometheusSerializer } from '../src/index.js';
import { everyKind } from './support/collected.js';

const SCOPE = 'otel_scope_name="compute",otel_scope_version="1.2.0"';
const CREATE = `method="POST",operation="Create",${SCOPE}`;
const LIST = `method="GET",operation="List",${SCOPE}`;

/** The exposition of `everyKind()` with target info and scope labels, as it was before issue 16. */
const PINNED_TEXT = [
  '# HELP target_info Target metadata',
  '# TYPE target_info gauge',
  'target_info{deployment_environment="test",service_name="compute",service_version="1.2.0"} 1',
  '# HELP compute_vm_requests_total Requests to the "VirtualMachine" API',
  '# TYPE compute_vm_requests_total counter',
  `compute_vm_requests_total{code="201",method="POST",operation="Create",${SCOPE}} 3`,
  `compute_vm_requests_total{code="404",method="GET",operation="Get",${SCOPE}} 1`,
  '# HELP compute_vm_request_duration_seconds VirtualMachine request latency\\nin seconds \\\\ wall clock',
  '# TYPE compute_vm_request_duration_seconds histogram',
  `compute_vm_request_duration_seconds_bucket{${CREATE},le="0.005"} 1`,
  `compute_vm_request_duration_seconds_bucket{${CREATE},le="0.1"} 3`,
  `compute_vm_request_duration_seconds_bucket{${CREATE},le="1"} 3`,
  `compute_vm_request_duration_seconds_bucket{${CREATE},le="+Inf"} 4`,
  `compute_vm_request_duration_seconds_sum{${CREATE}} 2.5625`,
  `compute_vm_request_duration_seconds_count{${CREATE}} 4`,
  `compute_vm_request_duration_seconds_bucket{${LIST},le="0.005"} 0`,
  `compute_vm_request_duration_seconds_bucket{${LIST},le="0.1"} 0`,
  `compute_vm_request_duration_seconds_bucket{${LIST},le="1"} 0`,
  `compute_vm_request_duration_seconds_bucket{${LIST},le="+Inf"} 0`,
  `compute_vm_request_duration_seconds_sum{${LIST}} 0`,
  `compute_vm_request_duration_seconds_count{${LIST}} 0`,
  '# HELP compute_vm_active compute.vm.active',
  '# TYPE compute_vm_active gauge',
  `compute_vm_active{${SCOPE},zone="a\\"b\\\\c\\nd"} -2`,
  '# HELP compute_vm_cpu_utilization_percent compute.vm.cpu.utilization.percent',
  '# TYPE compute_vm_cpu_utilization_percent gauge',
  `compute_vm_cpu_utilization_percent{${SCOPE}} 37.5`,
  '',
].join('\n');

const promtool = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;

describe('the text format 0.0.4', () => {
  it('is byte for byte what it was before OpenMetrics, exemplars on the points or not', () => {
    const serializer = new PrometheusSerializer({ withTargetInfo: true, withScopeLabels: true });
    expect(serializer.serialize(everyKind())).toBe(PINNED_TEXT);
  });

  it.skipIf(!promtool)('passes promtool check metrics without a word', () => {
    const result = spawnSync('promtool', ['check', 'metrics'], {
      input: PINNED_TEXT,
      encoding: 'utf8',
    });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });
});
