// A real Prometheus server (Debian's `prometheus` package, installed when missing, as CI does) on
// loopback: scrapes the given targets every second and, optionally, loads rule files. For the tests
// that check generated PromQL against what Prometheus really stores.
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../lib.mjs';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

/** One series of an instant query. */
export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** A running Prometheus. */
export interface PrometheusServer {
  readonly url: string;
  /** Its working folder (configuration and data); removed by `stop()`. */
  readonly dir: string;
  /** An instant query; throws with Prometheus's error when the query fails. */
  query(expr: string): Promise<Sample[]>;
  /** Polls `expr` until `ok` says yes (30 s at most), then returns the samples. */
  until(expr: string, ok: (samples: Sample[]) => boolean, timeoutMs?: number): Promise<Sample[]>;
  /** GET a path of the HTTP API (`/api/v1/rules`) and return `data`. */
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Installs Debian's prometheus package when `prometheus` or `promtool` is missing. */
export function ensurePrometheus(): void {
  if (which('prometheus') && which('promtool')) return;
  execFileSync('bash', [join(root, 'scripts/install-system-deps.sh'), 'prometheus'], {
    stdio: 'inherit',
    timeout: 300_000,
  });
}

/**
 * Starts Prometheus scraping `targets` (job name to `host:port`) and loading `ruleFiles`; with
 * `exemplars`, it stores exemplars (it then scrapes in OpenMetrics) for `/api/v1/query_exemplars`.
 */
export async function startPrometheus(
  targets: Readonly<Record<string, string>>,
  ruleFiles: readonly string[] = [],
  { exemplars = false }: { exemplars?: boolean } = {},
): Promise<PrometheusServer> {
  ensurePrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'datum-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    ...(ruleFiles.length === 0
      ? []
      : ['rule_files:', ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)]),
    'scrape_configs:',
    ...Object.entries(targets).flatMap(([job, target]) => [
      `  - job_name: ${job}`,
      `    static_configs: [{ targets: ['${target}'] }]`,
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(exemplars ? ['--enable-feature=exemplar-storage'] : []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    output = (output + chunk).slice(-20_000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Prometheus exited:\n${output}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Prometheus did not become ready within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
    return body.data;
  }
  async function query(expr: string): Promise<Sample[]> {
    const data = await api<{ result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
    return data.result;
  }
  return {
    url,
    dir,
    query,
    api,
    async until(expr, ok, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const samples = await query(expr);
        if (ok(samples)) return samples;
        if (Date.now() > end) {
          throw new Error(
            `Prometheus never returned what was expected for ${expr}: ${JSON.stringify(samples)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
