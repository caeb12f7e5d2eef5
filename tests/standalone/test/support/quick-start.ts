// The README quick starts as code: where each README keeps it, what running it must show, and how
// to run it in a project where the packed tarballs were installed. A quick start is the first `js`
// block under the README's `## Quick start` heading; it is also the package's shipped
// `examples/quickstart.mjs`, word for word.
import type { ChildProcessByStdio } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** The first `js` block of the `## Quick start` section, or `undefined` when there is none. */
export function quickStartBlock(markdown: string): string | undefined {
  const section = /^## Quick start\n([\s\S]*?)(?=^## |$(?![\s\S]))/m.exec(markdown)?.[1];
  if (section === undefined) return undefined;
  return /```js\n([\s\S]*?)```/.exec(section)?.[1];
}

/** The absolute address of a file of the repository, from a package's `repository` field. */
export function repositoryFileUrl(
  repository: { url: string } | string | undefined,
  path: string,
): string {
  const url = typeof repository === 'string' ? repository : repository?.url;
  if (url === undefined) throw new Error('package.json has no repository');
  const base = url.replace(/^git\+/, '').replace(/\.git$/, '');
  if (!/^https:\/\/github\.com\/[^/]+\/[^/]+$/.test(base)) {
    throw new Error(`repository ${url} is not a GitHub https URL`);
  }
  return `${base}/blob/main/${path}`;
}

/**
 * The output a script quick start documents: the `// ` comment lines right after each line that
 * calls `console.log`, in order.
 */
export function documentedOutput(code: string): string[] {
  const lines = code.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.includes('console.log(')) continue;
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('// '); j++) {
      out.push(lines[j]!.slice(3));
    }
  }
  return out;
}

/** What running a quick start must show. */
export type QuickStartCheck =
  /** Runs to its end and prints what its comments say (`documentedOutput`). */
  | { readonly kind: 'documented-output' }
  /** Runs to its end, checking itself, and prints `quickstart ok` last. */
  | { readonly kind: 'self-check' }
  /** Serves on `PORT` and says so; one request gets `status` and one access log line. */
  | {
      readonly kind: 'server';
      readonly method: string;
      readonly path: string;
      readonly status: number;
      /** Fields of the JSON body. */
      readonly body: Readonly<Record<string, unknown>>;
      /** Fields the access log line (the JSON line with `url.path`) must have. */
      readonly accessLog: Readonly<Record<string, unknown>>;
      /** The `msg` of a line the handler writes through the request-scoped logger. */
      readonly handlerLog: string;
    };

/** What each package's quick start must do (cli's is another helper's; its README has no quick start). */
export const QUICK_STARTS: Readonly<Record<string, QuickStartCheck>> = {
  conventions: { kind: 'documented-output' },
  config: { kind: 'documented-output' },
  metrics: { kind: 'self-check' },
  tracing: { kind: 'self-check' },
  logging: { kind: 'self-check' },
  otlp: { kind: 'self-check' },
  'otlp-sink': { kind: 'self-check' },
  http: {
    kind: 'server',
    method: 'GET',
    path: '/users/42',
    status: 200,
    body: { id: '42' },
    accessLog: { 'http.route': '/users/:id', 'http.response.status_code': 200, name: 'compute' },
    handlerLog: 'reading the user',
  },
  express: {
    kind: 'server',
    method: 'GET',
    path: '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines/vm-1',
    status: 200,
    body: { kind: 'VirtualMachine', metadata: { name: 'vm-1', namespace: 'default' } },
    accessLog: {
      'http.route':
        '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines/:name',
      'http.response.status_code': 200,
      'resource.kind': 'VirtualMachine',
      operation: 'Get',
      name: 'compute',
    },
    handlerLog: 'reading the virtual machine',
  },
  koa: {
    kind: 'server',
    method: 'POST',
    path: '/apis/networking.datumapis.com/v1alpha1/namespaces/default/ipaddresses',
    status: 201,
    body: { kind: 'IPAddress', spec: { address: '10.0.0.7' } },
    accessLog: {
      'http.route': '/apis/networking.datumapis.com/v1alpha1/namespaces/:namespace/ipaddresses',
      'http.response.status_code': 201,
      'resource.kind': 'IPAddress',
      operation: 'Create',
      name: 'network',
    },
    handlerLog: 'allocating an address',
  },
};

/** What a run showed: stdout lines, and for a server the response to the one request. */
export interface QuickStartRun {
  readonly lines: string[];
  readonly response?: { status: number; body: unknown };
}

type Child = ChildProcessByStdio<null, Readable, Readable>;

/** Resolves with the first stdout line matching `pattern`; rejects when the process ends first. */
function waitForLine(child: Child, output: string[], pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      for (const line of output) {
        const match = pattern.exec(line);
        if (match !== null) {
          child.stdout.off('data', check);
          child.off('exit', onExit);
          resolve(match);
          return;
        }
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`the quick start exited (${code}) before printing ${pattern}`));
    child.stdout.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

async function runServer(
  project: string,
  env: NodeJS.ProcessEnv,
  check: Extract<QuickStartCheck, { kind: 'server' }>,
): Promise<QuickStartRun> {
  const child: Child = spawn(process.execPath, ['quickstart.mjs'], {
    cwd: project,
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop()!;
    output.push(...complete);
  });
  try {
    const [, port] = await waitForLine(child, output, /^listening on port (\d+)$/);
    const response = await fetch(`http://127.0.0.1:${port}${check.path}`, {
      method: check.method,
    });
    const body: unknown = await response.json();
    // The access log line is written when the response has ended: wait for it, not for a time.
    await waitForLine(child, output, /"url\.path":/);
    return { lines: [...output], response: { status: response.status, body } };
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\nstdout:\n${output.join('\n')}\nstderr:\n${stderr}`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

/** Writes `code` as `quickstart.mjs` in `project` and runs it as its check says. */
export async function runQuickStart(
  project: string,
  code: string,
  check: QuickStartCheck,
  env: NodeJS.ProcessEnv,
): Promise<QuickStartRun> {
  writeFileSync(join(project, 'quickstart.mjs'), code);
  if (check.kind === 'server') return runServer(project, env, check);
  const out = execFileSync(process.execPath, ['quickstart.mjs'], {
    cwd: project,
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });
  return { lines: out.trimEnd().split('\n') };
}

/** The JSON lines of a run (log lines), skipping what is not JSON (`listening on port ...`). */
export function jsonLines(lines: readonly string[]): Record<string, unknown>[] {
  return lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
