import { StartupError } from '../errors.js';
import type { DrivenRequest, Scenario, ScenarioRequest } from '../types.js';
import { DEFAULT_BASE_URL, substitute } from './scenario.js';
import type { ServiceProcess } from './service.js';
import { sleep } from './wait.js';

/** What driving needs besides the scenario. */
export interface DriveContext {
  /** `${PORT}` and the other placeholders. */
  readonly values: Readonly<Record<string, string>>;
  /** The started service, when there is one: its exit ends the wait for readiness. */
  readonly service?: ServiceProcess;
  /** When to give up waiting for the service to answer (ms since the epoch). */
  readonly readyDeadline: number;
  readonly readyTimeoutMs: number;
  readonly signal?: AbortSignal;
}

const RETRY_MS = 100;
/** Errors that mean nobody listens (yet): the request never reached the service. */
const NOT_LISTENING = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'ENOTFOUND',
  'EADDRNOTAVAIL',
]);

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === 'string' ? cause.code : (error as { code?: string })?.code;
}

function describe(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined ? message : `${message} (${code})`;
}

export function exitedError(service: ServiceProcess, what: string): StartupError {
  const exit = service.exitInfo!;
  const how = exit.signal === null ? `with code ${exit.code}` : `on ${exit.signal}`;
  const tail = service.capture.tail(10);
  return new StartupError(
    `the service \`${service.command}\` exited ${how} ${what}${tail.length > 0 ? `; its last output:\n  ${tail.join('\n  ')}` : ' (it wrote nothing)'}`,
  );
}

/** Polls `url` until it answers 2xx or 3xx; a `StartupError` when the deadline passes or the service exits. */
export async function pollReady(url: string, context: DriveContext): Promise<void> {
  let last = 'no answer yet';
  for (;;) {
    if (context.service?.exitInfo !== undefined)
      throw exitedError(context.service, 'before it was ready');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status < 400) return;
      last = `it answered ${response.status}`;
    } catch (error) {
      last = describe(error);
    }
    if (Date.now() >= context.readyDeadline || context.signal?.aborted) {
      throw new StartupError(
        `the service did not become ready within ${context.readyTimeoutMs / 1000} s: ${url} (${last}); raise --ready-timeout or check that it listens on $PORT`,
      );
    }
    await sleep(RETRY_MS, context.signal);
  }
}

async function send(
  request: ScenarioRequest,
  index: number,
  baseUrl: string,
  context: DriveContext,
  timeoutMs: number,
): Promise<DrivenRequest & { notListening?: boolean }> {
  const method = request.method ?? 'GET';
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers ?? {}))
    headers[k] = substitute(v, context.values);
  let body: string | undefined;
  if (request.body !== undefined) {
    if (typeof request.body === 'string') body = substitute(request.body, context.values);
    else {
      body = JSON.stringify(request.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
  }
  const url = `${baseUrl.replace(/\/$/, '')}${substitute(request.path, context.values)}`;
  const base = {
    index,
    method,
    path: request.path,
    ...(request.expectStatus === undefined ? {} : { expectStatus: request.expectStatus }),
  };
  const startMs = Date.now();
  try {
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return { ...base, status: response.status, startMs, endMs: Date.now() };
  } catch (error) {
    const code = errorCode(error);
    return {
      ...base,
      error: describe(error),
      startMs,
      endMs: Date.now(),
      ...(code !== undefined && NOT_LISTENING.has(code) ? { notListening: true } : {}),
    };
  }
}

/**
 * Sends the scenario's requests in order. Until the first request is answered it counts as the
 * readiness probe: refused connections are retried until the deadline (they never reached the
 * service, so nothing is sent twice). Later failures are results, not errors.
 */
export async function driveScenario(
  scenario: Scenario,
  context: DriveContext,
  alreadyReady: boolean,
): Promise<DrivenRequest[]> {
  const baseUrl = substitute(scenario.baseUrl ?? DEFAULT_BASE_URL, context.values);
  const timeoutMs = scenario.timeoutMs ?? 10_000;
  const results: DrivenRequest[] = [];
  let ready = alreadyReady;
  for (const [i, request] of scenario.requests.entries()) {
    if (context.signal?.aborted) break;
    let result = await send(request, i + 1, baseUrl, context, timeoutMs);
    while (!ready && result.notListening) {
      if (context.service?.exitInfo !== undefined)
        throw exitedError(context.service, 'before it was ready');
      if (Date.now() >= context.readyDeadline || context.signal?.aborted) {
        throw new StartupError(
          `the service did not become ready within ${context.readyTimeoutMs / 1000} s: the first scenario request (${result.method} ${baseUrl}${request.path}) got ${result.error}; raise --ready-timeout or check that it listens on $PORT`,
        );
      }
      await sleep(RETRY_MS, context.signal);
      result = await send(request, i + 1, baseUrl, context, timeoutMs);
    }
    ready = true;
    const { notListening: _, ...kept } = result;
    results.push(kept);
  }
  return results;
}
