import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { StartupError } from '../errors.js';
import type { CapturedLine } from '../types.js';
import { LineCapture } from './lines.js';

/** How the service's process ended. */
export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** What the validator needs to know to give the service its environment. */
export interface ServiceEnvOptions {
  readonly endpoint: string;
  readonly protocol: string;
  readonly port: number;
  readonly prometheusPort: number;
}

/** Variables that would send a signal elsewhere than the receiver, or sample spans away. */
const OVERRIDDEN = [
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
  'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
  'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
  'OTEL_TRACES_SAMPLER_ARG',
];

/**
 * The service's environment: the caller's, with the OTLP variables pointed at the receiver, short
 * export intervals (so that telemetry arrives while the validator waits), every span sampled, and
 * `PORT` / the Prometheus port set to free loopback ports.
 */
export function serviceEnv(
  base: Readonly<Record<string, string | undefined>>,
  options: ServiceEnvOptions,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base))
    if (v !== undefined && !OVERRIDDEN.includes(k)) env[k] = v;
  return {
    ...env,
    OTEL_EXPORTER_OTLP_ENDPOINT: options.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: options.protocol,
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    OTEL_METRIC_EXPORT_TIMEOUT: '1000',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BLRP_SCHEDULE_DELAY: '200',
    OTEL_TRACES_SAMPLER: 'always_on',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(options.prometheusPort),
    PORT: String(options.port),
  };
}

/** A service the validator started, in its own process group. */
export class ServiceProcess {
  readonly capture: LineCapture;
  readonly command: string;
  readonly #child: ChildProcess;
  readonly #exit: Promise<ServiceExit>;
  readonly #closed: Promise<void>;
  #exitInfo: ServiceExit | undefined;
  readonly #killOnExit = () => this.#signal('SIGKILL');

  private constructor(child: ChildProcess, command: string, capture: LineCapture) {
    this.#child = child;
    this.command = command;
    this.capture = capture;
    this.#exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.#exitInfo = { code, signal };
        process.removeListener('exit', this.#killOnExit);
        resolve(this.#exitInfo);
      }),
    );
    this.#closed = new Promise((resolve) => child.once('close', () => resolve()));
    // If the validator itself dies, the service must not outlive it.
    process.once('exit', this.#killOnExit);
  }

  /** Starts `command[0]` with `command[1..]`; rejects with a `StartupError` when it cannot start. */
  static async start(
    command: readonly string[],
    options: { env: Record<string, string>; cwd: string; echo?: (line: CapturedLine) => void },
  ): Promise<ServiceProcess> {
    const [file, ...args] = command;
    if (file === undefined) throw new StartupError('no command to start after --');
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that SIGTERM reaches a wrapper's children (npm start, sh -c) too.
      detached: true,
    });
    const shown = command.join(' ');
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(new StartupError(`cannot start \`${shown}\`: ${error.code ?? error.message}`)),
      );
    });
    const capture = new LineCapture(50_000, options.echo);
    capture.attach(child.stdout!, 'stdout');
    capture.attach(child.stderr!, 'stderr');
    return new ServiceProcess(child, shown, capture);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** How it exited, or `undefined` while it runs. */
  get exitInfo(): ServiceExit | undefined {
    return this.#exitInfo;
  }

  /** Resolves when it exits. */
  exited(): Promise<ServiceExit> {
    return this.#exit;
  }

  #signal(signal: NodeJS.Signals): void {
    if (this.#exitInfo !== undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // Already gone, or the group is: try the process itself.
      try {
        this.#child.kill(signal);
      } catch {
        // gone
      }
    }
  }

  /**
   * SIGTERM to its process group, then SIGKILL if it has not exited within `timeoutMs`. Resolves
   * once it has exited and its output is read (at most a second more).
   */
  async stop(timeoutMs: number): Promise<ServiceExit & { killed: boolean }> {
    let killed = false;
    if (this.#exitInfo === undefined) {
      this.#signal('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.#exit.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        killed = true;
        this.#signal('SIGKILL');
      }
    }
    const exit = await this.#exit;
    await this.#outputRead(1000);
    return { ...exit, killed };
  }

  /** Kills it at once (SIGKILL to the group) and waits until it is gone; for clean-up after an error. */
  async kill(): Promise<void> {
    this.#signal('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#exit, new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
  }

  async #outputRead(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#closed, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }
}
