// Child processes of the bench: the OTLP sink, one server per configuration, the load generator.
// Every child is remembered so that an interrupted run leaves nothing behind. A child can be
// pinned to CPUs (`cpus`, a taskset list such as '0' or '1,2'): it is then started through
// `taskset -c`, which execs Node, so the child keeps its pid, its IPC channel and, for every thread
// it starts, the same CPUs.
import { execFile, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const children = new Set();

function killAll() {
  for (const child of children) child.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function nextMessage(child, type, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no ${type} message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message) => {
      if (message?.type !== type) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`${what} exited with code ${code} before sending ${type}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** A Node script with IPC, through `taskset -c <cpus>` when `cpus` is given. */
function forkNode(file, args, { cpus, stdio, env }) {
  if (cpus === undefined) return fork(file, args, { stdio, env, execArgv: [] });
  return spawn('taskset', ['-c', cpus, process.execPath, file, ...args], { stdio, env });
}

/** Starts the OTLP sink in a mode (`ok`, `slow`, `500`, `429`), optionally pinned to `cpus`. */
export async function startSink(mode = 'ok', { cpus } = {}) {
  const child = track(
    forkNode(here('./sink.mjs'), [mode], {
      cpus,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: process.env,
    }),
  );
  const { port } = await nextMessage(child, 'ready', 10_000, `sink ${mode}`);
  return {
    url: `http://127.0.0.1:${port}`,
    async stats() {
      const reply = nextMessage(child, 'stats', 5_000, `sink ${mode}`);
      child.send({ type: 'stats' });
      return (await reply).received;
    },
    stop() {
      child.kill('SIGTERM');
    },
  };
}

/** Starts one server configuration, optionally pinned to `cpus`, and waits until it listens. */
export async function startServer(config, env, { cpus } = {}) {
  const child = track(
    forkNode(here('./server.mjs'), [config], {
      cpus,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        ...process.env,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_SDK_DISABLED: 'false',
        ...env,
      },
    }),
  );
  const { port } = await nextMessage(child, 'ready', 20_000, config);
  return {
    port,
    pid: child.pid,
    /** Starts the measurement window (with `eventLoop`, event-loop delay sampling too). */
    async mark({ eventLoop = false } = {}) {
      const reply = nextMessage(child, 'marked', 5_000, config);
      child.send({ type: 'mark', eventLoop });
      await reply;
    },
    /** CPU µs, requests and event-loop delay since the mark; the server keeps serving. */
    async sample() {
      const reply = nextMessage(child, 'sampled', 5_000, config);
      child.send({ type: 'sample' });
      return reply;
    },
    async stop({ flush }) {
      const reply = nextMessage(child, 'stopped', 10_000, config);
      child.send({ type: 'stop', flush });
      try {
        return await reply;
      } finally {
        child.kill('SIGKILL');
      }
    },
  };
}

/** Runs autocannon in its own process against a port for `seconds`. */
export function runLoad({ port, paths, connections, seconds }) {
  const spec = JSON.stringify({ url: `http://127.0.0.1:${port}`, paths, connections, seconds });
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [here('./load.mjs'), spec],
      { maxBuffer: 1 << 20, timeout: (seconds + 30) * 1000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`load generator failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()));
      },
    );
    track(child);
  });
}

/**
 * Starts a load generator in its own process (optionally pinned to `cpus`): autocannon with
 * `connections` (closed loop), or with a `rate` the open-loop `paced-load.mjs`. It warms the
 * server up for `warmupSeconds`, then waits. `ready` resolves when the warm-up is over; `go()`
 * starts the measured run of `seconds` and resolves its result. Two of these started together and
 * released together load two servers over the same window.
 */
export function startLoad({ port, paths, connections, rate, warmupSeconds, seconds, cpus }) {
  const spec = JSON.stringify({
    url: `http://127.0.0.1:${port}`,
    paths,
    connections,
    rate,
    warmupSeconds,
    seconds,
    waitForGo: true,
  });
  const script = rate === undefined ? './load.mjs' : './paced-load.mjs';
  const child = track(
    forkNode(here(script), [spec], {
      cpus,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: process.env,
    }),
  );
  const what = `load generator on port ${port}`;
  const ready = nextMessage(child, 'warm', (warmupSeconds + 30) * 1000, what);
  return {
    ready,
    async go() {
      const result = nextMessage(child, 'result', (seconds + 30) * 1000, what);
      child.send({ type: 'go' });
      try {
        return (await result).load;
      } finally {
        child.kill('SIGKILL');
      }
    },
    stop() {
      child.kill('SIGKILL');
    },
  };
}

/** Runs a bench script (micro, soak) in its own process with --expose-gc; resolves its JSON. */
export function runScript(file, args, env = {}, timeoutMs = 600_000) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--expose-gc', here(file), ...args],
      { maxBuffer: 16 << 20, timeout: timeoutMs, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()));
      },
    );
    child.stderr?.pipe(process.stderr);
    track(child);
  });
}
