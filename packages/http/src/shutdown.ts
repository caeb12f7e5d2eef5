import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import { settleWithin } from '@datum-telemetry/config/deadline';
import { diag } from '@opentelemetry/api';
import { SCOPE_NAME } from './scope.js';

/** Options of {@link shutdownOnSignal}. */
export interface ShutdownOptions {
  /** Signals that start the shutdown. The default value is `['SIGTERM', 'SIGINT']`. */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * Flushes and stops telemetry (e.g. `() => Promise.all([metrics.shutdown(), tracing.shutdown(),
   * logging.shutdown()])`), called after the in-flight requests are drained. Default: none.
   */
  readonly flush?: () => Promise<unknown>;
  /** How long in-flight requests may take to finish. The default value is `10000`. */
  readonly drainTimeoutMillis?: number;
  /** How long `flush` may take. The default value is `5000`. */
  readonly flushTimeoutMillis?: number;
  /**
   * Exit the process when done (code 0, or 1 when a deadline passed). Set `false` to exit yourself
   * (the returned promise resolves). The default value is `true`.
   */
  readonly exit?: boolean;
  /** Called once when a signal arrives, before anything stops. Default: none. */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
}

/** What {@link shutdownOnSignal} returns. */
export interface ShutdownHandle {
  /** Runs the shutdown now (as a signal would). Resolves with `true` when both steps met their deadline. */
  shutdown(): Promise<boolean>;
  /** Removes the signal listeners. */
  dispose(): void;
}

const labels = (what: string) => ({ component: SCOPE_NAME, what });

const millis = rules.number(0, Number.MAX_SAFE_INTEGER, 'a number of milliseconds >= 0');

const shutdownOptionRules: OptionsSchema<ShutdownOptions> = {
  signals: rules.arrayOf(rules.nonEmptyString, "an array of signal names such as ['SIGTERM']"),
  flush: rules.custom('a function returning a promise', (value) => typeof value === 'function'),
  drainTimeoutMillis: millis,
  flushTimeoutMillis: millis,
  exit: rules.boolean,
  onSignal: rules.function,
};

/**
 * Graceful shutdown on SIGTERM: stop accepting connections, let in-flight requests finish (up to
 * `drainTimeoutMillis`, then close what is left), flush telemetry (up to `flushTimeoutMillis`), and
 * exit. A collector that hangs cannot keep the process alive past the two deadlines; a missed one is
 * reported with one `diag.warn`, a failed flush with `diag.error`.
 */
export function shutdownOnSignal(server: Server, options: ShutdownOptions = {}): ShutdownHandle {
  validateOptions<ShutdownOptions>(options, shutdownOptionRules, 'shutdownOnSignal');
  const {
    signals = ['SIGTERM', 'SIGINT'],
    flush,
    drainTimeoutMillis = 10_000,
    flushTimeoutMillis = 5_000,
    exit = true,
    onSignal,
  } = options;
  // Responses in flight, so that a shutdown can tell their keep-alive clients to go away.
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const onRequest = (_req: IncomingMessage, res: ServerResponse) => {
    if (closing && !res.headersSent) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // The connection this response leaves idle would otherwise wait for the keep-alive timeout.
      if (closing) server.closeIdleConnections();
    });
  };
  server.prependListener('request', onRequest);

  let running: Promise<boolean> | undefined;
  const shutdown = (): Promise<boolean> => {
    if (running !== undefined) return running;
    closing = true;
    for (const res of inFlight) {
      if (!res.headersSent) res.setHeader('connection', 'close');
    }
    running = (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = await settleWithin(
        () => closed,
        drainTimeoutMillis,
        labels('draining the in-flight requests'),
      );
      if (!drained) server.closeAllConnections();
      const flushed =
        flush === undefined
          ? true
          : await settleWithin(flush, flushTimeoutMillis, labels('the telemetry flush'));
      return drained && flushed;
    })();
    return running;
  };

  const listener = (signal: NodeJS.Signals) => {
    try {
      onSignal?.(signal);
    } catch (error) {
      diag.error(`${SCOPE_NAME}: onSignal threw`, error);
    }
    // The deadlines do not keep the process alive (settleWithin unrefs them); when it is to exit
    // the process, this must live until it can tell by the exit code whether they were met.
    const keepAlive = exit ? setInterval(() => {}, 60_000) : undefined;
    void shutdown().then((clean) => {
      clearInterval(keepAlive);
      if (exit) process.exit(clean ? 0 : 1);
    });
  };
  for (const signal of signals) process.on(signal, listener);
  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, listener);
      server.off('request', onRequest);
    },
  };
}
