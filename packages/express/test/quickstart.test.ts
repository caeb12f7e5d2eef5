// examples/quickstart.mjs is the README quick start (scripts/doc-snippets.mjs keeps the two equal;
// tests/standalone runs it again from the packed tarball): a server on $PORT. Started here with
// PORT=0, it gets one request and must answer it and write the access log line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const PATH = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines/vm-1';

it('the README quick start serves on PORT, answers, and writes one access log line', async () => {
  const child = spawn(process.execPath, ['examples/quickstart.mjs'], {
    cwd: packageDir,
    env: { ...process.env, OTEL_SERVICE_NAME: '', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the quick start exited (${code}):\n${stdout}`);
  });
  exited.catch(() => undefined);
  // Waits for output, not for a time: the listener above has appended each chunk before this runs.
  const lineMatching = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const match = pattern.exec(stdout);
      if (match !== null) return match;
      await Promise.race([once(child.stdout, 'data'), exited]);
    }
  };
  try {
    const [, port] = await lineMatching(/^listening on port (\d+)$/m);
    const response = await fetch(`http://127.0.0.1:${port}${PATH}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      kind: 'VirtualMachine',
      metadata: { name: 'vm-1', namespace: 'default' },
    });
    await lineMatching(/"msg":"request completed".*\n/);
  } finally {
    child.kill('SIGTERM');
  }
  const records = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(records.find((r) => r.msg === 'reading the virtual machine')).toMatchObject({
    level: 30,
    'resource.kind': 'VirtualMachine',
    operation: 'Get',
    'resource.name': 'vm-1',
  });
  const access = records.filter((r) => r.msg === 'request completed');
  expect(access).toHaveLength(1);
  expect(access[0]).toMatchObject({
    'http.request.method': 'GET',
    'http.route':
      '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines/:name',
    'http.response.status_code': 200,
    'resource.namespace': 'default',
  });
});
