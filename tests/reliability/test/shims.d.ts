// apps/demo/lib.mjs is plain JavaScript shared by the demo command and these tests; these are the
// shapes of what it exports.
declare module '@datum-telemetry/demo/lib.mjs' {
  import type { ChildProcess } from 'node:child_process';

  export interface DemoService {
    readonly name: string;
    readonly url: string;
    readonly port: number;
    readonly child: ChildProcess;
    /** Parsed JSON lines of stdout (lines that are not JSON objects are skipped). */
    logs(): Record<string, unknown>[];
    /** The complete stdout lines so far, joined with `\n`. */
    stdout(): string;
    stderr(): string;
    /** SIGTERM, then the exit code (SIGKILL after 15 s; the code is then null). */
    stop(): Promise<number | null>;
  }

  export function freePort(): Promise<number>;
  export function startService(
    name: 'compute-api' | 'network-api',
    env?: Record<string, string>,
  ): Promise<DemoService>;
  export function startServices(
    env?: Record<string, string>,
  ): Promise<{ compute: DemoService; network: DemoService }>;
}
