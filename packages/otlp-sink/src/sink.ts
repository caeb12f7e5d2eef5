import type { GrpcReceiver } from './grpc-receiver.js';
import { startGrpcReceiver } from './grpc-receiver.js';
import { startHttpReceiver } from './http-receiver.js';
import { endpointOf } from './listen.js';
import { SinkStore } from './store.js';
import type { OtlpSink, OtlpSinkOptions, SinkResponseMode, WaitForOptions } from './types.js';
import { waitFor } from './wait-for.js';

const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

function resolveOptions(options: OtlpSinkOptions): Required<OtlpSinkOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('startOtlpSink: options must be an object such as { port: 0 }');
  }
  const {
    host = '127.0.0.1',
    port = 0,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    grpc = false,
  } = options;
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(
      `startOtlpSink: options.host must be a non-empty string, got ${String(host)}`,
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(
      `startOtlpSink: options.port must be an integer from 0 to 65535, got ${String(port)}`,
    );
  }
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError(
      `startOtlpSink: options.maxBodyBytes must be a positive integer, got ${String(maxBodyBytes)}`,
    );
  }
  if (typeof grpc !== 'boolean') {
    throw new TypeError(`startOtlpSink: options.grpc must be true or false, got ${String(grpc)}`);
  }
  return { host, port, maxBodyBytes, grpc };
}

/**
 * Starts an OTLP/HTTP receiver (http/protobuf and http/json, gzip too), and with `{ grpc: true }`
 * an OTLP/gRPC one, and resolves once they listen. Throws a `TypeError` naming the option on bad
 * options.
 */
export async function startOtlpSink(options: OtlpSinkOptions = {}): Promise<OtlpSink> {
  const { host, port, maxBodyBytes, grpc } = resolveOptions(options);
  const store = new SinkStore();
  const http = await startHttpReceiver(store, { host, port, maxBodyBytes });
  let grpcReceiver: GrpcReceiver | undefined;
  if (grpc) {
    try {
      grpcReceiver = await startGrpcReceiver(store, { host, maxBodyBytes });
    } catch (error) {
      void http.close();
      throw error;
    }
  }
  const endpoint = endpointOf(http.address);
  let closed: Promise<void> | undefined;

  return {
    endpoint,
    urls: Object.freeze({
      traces: `${endpoint}/v1/traces`,
      metrics: `${endpoint}/v1/metrics`,
      logs: `${endpoint}/v1/logs`,
    }),
    host: http.address.address,
    port: http.address.port,
    grpcEndpoint: grpcReceiver === undefined ? undefined : endpointOf(grpcReceiver.address),
    spans: () => store.spans.slice(),
    metrics: () => store.metrics.slice(),
    logs: () => store.logs.slice(),
    requests: () => store.requests.map((r) => ({ ...r })),
    rejected: () => store.rejected.map((r) => ({ ...r })),
    pendingRequests: () => store.pending,
    waitFor: (predicate: () => unknown, waitOptions: WaitForOptions = {}) =>
      waitFor(predicate, waitOptions, () => store.describe()),
    respondWith(next: SinkResponseMode | undefined) {
      store.respondWith(next);
    },
    clear() {
      store.clear();
    },
    close() {
      if (closed === undefined) {
        // Delayed answers stop waiting first, then both receivers close.
        store.close();
        closed = Promise.all([http.close(), grpcReceiver?.close()]).then(() => undefined);
      }
      return closed;
    },
  };
}
