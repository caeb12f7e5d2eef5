// 100,000 distinct raw paths and attribute values: the span names and metric series stay bounded
// (route templates, one `unmatched` label, the overflow series), and so does memory. Runs in a
// child process so that it can collect garbage before measuring.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const dir = fileURLToPath(new URL('.', import.meta.url));

it('100,000 distinct paths and attribute values give bounded span names, series and memory', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', 'fixtures/cardinality.mjs'],
    { cwd: dir, maxBuffer: 50 * 1024 * 1024, timeout: 120_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    spans: number;
    spanNames: string[];
    series: Record<string, number>;
    overflow: boolean;
    rawPathInExposition: boolean;
    heapGrowthMB: number;
  };
  expect(result.spans).toBe(100_000);
  expect(result.spanNames).toEqual(['GET', 'GetVirtualMachine']);
  // One route template per resource shape, one `unmatched` label, two status codes.
  expect(result.series.compute_vm_requests_total).toBe(2);
  expect(result.series.compute_http_requests_total).toBe(2);
  expect(result.series.compute_http_requests_active).toBe(1);
  // The user metric stops at the cardinality limit: 99 series and the overflow series.
  expect(result.series.compute_user_logins_total).toBe(100);
  expect(result.overflow).toBe(true);
  expect(result.rawPathInExposition).toBe(false);
  // Generous: the point is that it does not grow with the number of distinct inputs.
  expect(result.heapGrowthMB).toBeLessThan(25);
}, 150_000);
