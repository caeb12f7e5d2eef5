// Child processes of the bench: the OTLP sink, one server per configuration, the load generator.
// Every child is remembered so that an interrupted run leaves nothing behind.
import { execFile, fork } from 'node:child_process';
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

/** Starts the OTLP sink in a mode (`ok`, `slow`, `500`, `429`). */
export async function startSink(mode = 'ok') {
  const child = track(
    fork(here('./sink.mjs'), [mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
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

/** Starts one server configuration and waits until it listens. */
export async function startServer(config, env) {
  const child = track(
    fork(here('./server.mjs'), [config], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        ...process.env,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_SDK_DISABLED: 'false',
        ...env,
      },
      execArgv: [],
    }),
  );
  const { port } = await nextMessage(child, 'ready', 20_000, config);
  return {
    port,
    pid: child.pid,
    async mark() {
      const reply = nextMessage(child, 'marked', 5_000, config);
      child.send({ type: 'mark' });
      await reply;
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
