// Property-based tests (fast-check) over what callers control: the propagation headers, the path
// and other header values. Whatever is sent, the middleware never throws, the response is exactly
// what the app returns without it, and invalid trace context starts a new trace.
import type { IncomingHttpHeaders, Server } from 'node:http';
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Flavor } from './apps.js';
import { buildApp, FLAVORS, RESOURCES } from './apps.js';
import { close, installPipelines, listen, serverSpans, waitFor } from './harness.js';

const pipelines = installPipelines();
vi.spyOn(console, 'error').mockImplementation(() => undefined);

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with the path and headers exactly as given (fetch would normalise them). */
function raw(server: Server, path: string, headers: Record<string, string>): Promise<Raw> {
  const { port } = server.address() as { port: number };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function comparable(r: Raw): unknown {
  const { date: _date, ...headers } = r.headers;
  return { status: r.status, headers, body: r.body };
}

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength,
  });

/** Traceparents: well-formed, almost well-formed, and junk. */
const traceparent = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('00', '01', 'ff', 'zz', '0'),
      hex(32),
      hex(16),
      fc.constantFrom('00', '01', '03', 'xx'),
    )
    .map(([v, t, s, f]) => `${v}-${t}-${s}-${f}`),
  fc.tuple(hex(32), hex(16)).map(([t, s]) => `00-${t}-${s}-01`),
  fc.constantFrom(
    `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`,
    `00-${'1'.repeat(32)}-${'0'.repeat(16)}-01`,
  ),
  headerText(80),
  headerText(2000).map((s) => `00-${s}`),
);
const tracestate = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/),
        headerText(20).filter((v) => !/[,=]/.test(v)),
      ),
      { maxLength: 40 },
    )
    .map((kv) => kv.map(([k, v]) => `${k}=${v}`).join(',')),
  headerText(1200),
);
const baggage = fc.oneof(
  fc
    .array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9%]{0,12}$/)), {
      maxLength: 200,
    })
    .map((kv) => kv.map(([k, v]) => `${k}=${v}`).join(',')),
  headerText(10_000),
);

const VALID_V00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const LOOKS_W3C = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-|$)/;

const segment = fc.oneof(
  fc.webSegment(),
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%zz',
    '%00',
    '%2F',
    'virtualmachines',
    'namespaces',
    '%E2%80%A8',
  ),
  fc.string({ unit: fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@%"), maxLength: 30 }),
);
const path = fc.oneof(
  fc.array(segment, { maxLength: 12 }).map((s) => `/${s.join('/')}`),
  fc
    .tuple(fc.array(segment, { maxLength: 3 }), fc.webSegment())
    .map(
      ([s, name]) =>
        `/apis/compute.datumapis.com/v1alpha1/namespaces/${s.join('-') || 'x'}/virtualmachines/${name}`,
    ),
  fc.tuple(fc.webSegment(), headerText(50)).map(([p, q]) => `/${p}?${encodeURI(q)}`),
  fc.integer({ min: 2000, max: 9000 }).map((n) => `/${'a'.repeat(n)}`),
);

describe.each(FLAVORS)('%s', (flavor: Flavor) => {
  const instrumented = buildApp(flavor, {
    service: 'compute',
    resources: [...RESOURCES],
    logger: pipelines.logger,
  });
  const bare = buildApp(flavor);
  beforeAll(async () => {
    await listen(instrumented.server);
    await listen(bare.server);
  });
  afterAll(async () => {
    await close(instrumented.server);
    await close(bare.server);
  });
  beforeEach(() => pipelines.reset());

  it('any propagation headers: same response, and invalid context starts a new trace', async () => {
    await fc.assert(
      fc.asyncProperty(
        traceparent,
        fc.option(tracestate),
        fc.option(baggage),
        async (tp, ts, bg) => {
          pipelines.reset();
          const headers: Record<string, string> = { traceparent: tp };
          if (ts !== null) headers.tracestate = ts;
          if (bg !== null) headers.baggage = bg;
          const got = await raw(instrumented.server, '/chained/1', headers);
          const want = await raw(bare.server, '/chained/1', headers);
          expect(comparable(got)).toEqual(comparable(want));
          const sent = VALID_V00.exec(tp);
          const sentValid = sent !== null && !/^0+$/.test(sent[1]!) && !/^0+$/.test(sent[2]!);
          // A parent that may be valid (this or a future version) and was not sampled (flags without
          // bit 0) is followed: nothing is exported, so there is no span to wait for.
          const loose = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-([0-9a-f]{2})/.exec(tp);
          if (loose !== null && (Number.parseInt(loose[1]!, 16) & 1) === 0) return;
          const [span] = await waitFor(
            () =>
              serverSpans(pipelines.spans).length > 0 ? serverSpans(pipelines.spans) : undefined,
            'span',
          );
          if (sentValid) {
            expect(span!.spanContext().traceId).toBe(sent![1]);
            expect(span!.parentSpanContext?.spanId).toBe(sent![2]);
            const state = span!.spanContext().traceState?.serialize();
            if (ts !== null && ts.length > 512) expect(state).toBeUndefined();
          } else if (!LOOKS_W3C.test(tp)) {
            expect(span!.parentSpanContext).toBeUndefined();
            expect(span!.spanContext().traceId).not.toBe('0'.repeat(32));
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('any path: same response, bounded span names, never the raw path in the name', async () => {
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        pipelines.reset();
        const got = await raw(instrumented.server, p, {});
        const want = await raw(bare.server, p, {});
        expect(comparable(got)).toEqual(comparable(want));
        const spans = await waitFor(
          () =>
            serverSpans(pipelines.spans).length > 0 ? serverSpans(pipelines.spans) : undefined,
          'span',
        );
        const name = spans[0]!.name;
        // Either a declared-resource name, `{METHOD}` or `{METHOD} {template}`: never the path itself.
        expect(name === 'GET' || /^[A-Z][A-Za-z]+$/.test(name) || /^GET \//.test(name)).toBe(true);
        if (name.startsWith('GET /'))
          expect(
            ['GET /chained/:id', 'GET /custom/{thing}'].includes(name) ||
              name.includes(':') ||
              name.includes('/^'),
          ).toBe(true);
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('any header values: same response', async () => {
    await fc.assert(
      fc.asyncProperty(headerText(300), headerText(3000), async (ua, other) => {
        const headers = {
          'user-agent': ua,
          'x-anything': other,
          host: ua.length > 0 && !/[\s/?#@]/.test(ua) ? `${ua.slice(0, 40)}:1` : 'x',
        };
        const got = await raw(instrumented.server, '/chained/2', headers);
        const want = await raw(bare.server, '/chained/2', headers);
        expect(comparable(got)).toEqual(comparable(want));
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
