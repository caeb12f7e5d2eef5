import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

it('the README quick start runs and writes one access log line for the request', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['examples/quickstart.mjs'], {
    cwd: packageDir,
    env: { ...process.env, OTEL_SERVICE_NAME: '' },
  });
  const lines = stdout.trim().split('\n');
  expect(lines.at(-1)).toBe('quickstart ok');
  const records = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(records.find((r) => r.msg === 'allocating an address')).toMatchObject({
    level: 30,
    'resource.kind': 'IPAddress',
    operation: 'Create',
    'resource.namespace': 'default',
  });
  const access = records.filter((r) => r.msg === 'request completed');
  expect(access).toHaveLength(1);
  expect(access[0]).toMatchObject({
    'http.request.method': 'POST',
    'http.route': '/apis/networking.datumapis.com/v1alpha1/namespaces/:namespace/ipaddresses',
    'http.response.status_code': 201,
  });
});
