// Drives a real Express or Koa app without TCP: each request is a real `http.IncomingMessage` and
// `http.ServerResponse` on a socket that discards what is written, and the response's `close` is
// emitted after `finish` as Node's server does. The app, the middleware and the exporters run
// exactly as behind a listening server; only the kernel and the load generator are left out, so
// the soak and the CPU profiles see nothing but the per-request path.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';

class NullSocket extends Duplex {
  constructor() {
    super();
    this.remoteAddress = '127.0.0.1';
    this.remotePort = 50_000;
    this.localAddress = '127.0.0.1';
    this.localPort = 8080;
  }
  _read() {}
  _write(_chunk, _encoding, callback) {
    callback();
  }
  _writev(_chunks, callback) {
    callback();
  }
  setTimeout() {
    return this;
  }
  setNoDelay() {
    return this;
  }
  setKeepAlive() {
    return this;
  }
}

const HEADERS = Object.freeze({
  host: '127.0.0.1:8080',
  'user-agent': 'datum-bench/1.0',
  accept: 'application/json',
});

/** One request through `listener`; resolves with the status code when the response closed. */
export function request(listener, socket, path) {
  return new Promise((resolve) => {
    const req = new IncomingMessage(socket);
    req.method = 'GET';
    req.url = path;
    req.headers = { ...HEADERS };
    req.rawHeaders = [];
    req.httpVersion = '1.1';
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    req.complete = true;
    req.push(null);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = true;
    res.assignSocket(socket);
    res.once('finish', () => {
      res.detachSocket(socket);
      process.nextTick(() => {
        res.emit('close');
        resolve(res.statusCode);
      });
    });
    listener(req, res);
  });
}

/**
 * Sends `total` requests through `listener` from `connections` concurrent "connections", cycling
 * through `paths`, letting the event loop turn (timers, exporter I/O) every `yieldEvery` requests
 * per connection. Resolves with the number of non-200 responses.
 */
export async function drive(listener, { total, paths, connections = 50, yieldEvery = 20 }) {
  let next = 0;
  let failures = 0;
  async function connection() {
    const socket = new NullSocket();
    let sinceYield = 0;
    while (next < total) {
      const i = next++;
      const status = await request(listener, socket, paths[i % paths.length]);
      if (status !== 200) failures++;
      if (++sinceYield === yieldEvery) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, connection));
  return failures;
}
