// A deliberately cheap OTLP/HTTP collector stand-in, in its own process: it drains each request
// body without decoding it and answers per its mode, so the bench measures the exporting app and
// not a protobuf decoder competing for the same two cores.
//   ok    200 at once          slow  200 after BENCH_SINK_DELAY_MS (default 3000)
//   500   500 at once          429   429 with Retry-After: 1
// It reports its port over IPC and answers { type: 'stats' } with what it received per path.
import { createServer } from 'node:http';

const mode = process.argv[2] ?? 'ok';
const delayMs = Number(process.env.BENCH_SINK_DELAY_MS ?? 3000);
const received = { requests: 0, bytes: 0, byPath: {} };

function answer(res) {
  if (mode === '500') {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('unavailable');
  } else if (mode === '429') {
    res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('slow down');
  } else {
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  }
}

const server = createServer((req, res) => {
  let bytes = 0;
  req.on('data', (chunk) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    received.requests += 1;
    received.bytes += bytes;
    const path = req.url ?? '/';
    received.byPath[path] ??= { requests: 0, bytes: 0 };
    const entry = received.byPath[path];
    entry.requests += 1;
    entry.bytes += bytes;
    if (mode === 'slow') setTimeout(answer, delayMs, res).unref();
    else answer(res);
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: server.address().port });
});

process.on('message', (message) => {
  if (message?.type === 'stats') {
    process.send?.({ type: 'stats', received: structuredClone(received) });
  }
});
process.on('disconnect', () => process.exit(0));
