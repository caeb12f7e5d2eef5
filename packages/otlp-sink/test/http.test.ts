import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpSink } from '../src/index.js';
import { startOtlpSink } from '../src/index.js';
import { post } from './support.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };
const TRACE = '5b8efff798038103d269b633813fc60c';

const validJson = (name: string) =>
  JSON.stringify({
    resourceSpans: [
      { scopeSpans: [{ spans: [{ traceId: TRACE, spanId: 'eee19b7ec3c1b174', name }] }] },
    ],
  });

let sink: OtlpSink;
beforeAll(async () => {
  sink = await startOtlpSink({ maxBodyBytes: 64 * 1024 });
});
afterAll(() => sink.close());
beforeEach(() => sink.clear());

/** The server must keep serving after anything: a valid export right after is recorded. */
async function expectStillServing(): Promise<void> {
  const before = sink.spans().length;
  const ok = await post(sink.urls.traces, validJson('after'), JSON_TYPE);
  expect(ok.status).toBe(200);
  expect(sink.spans()).toHaveLength(before + 1);
}

describe('answers as a collector does', () => {
  it('listens on 127.0.0.1 on a free port by default', () => {
    expect(sink.host).toBe('127.0.0.1');
    expect(sink.port).toBeGreaterThan(0);
    expect(sink.endpoint).toBe(`http://127.0.0.1:${sink.port}`);
    expect(sink.urls).toEqual({
      traces: `${sink.endpoint}/v1/traces`,
      metrics: `${sink.endpoint}/v1/metrics`,
      logs: `${sink.endpoint}/v1/logs`,
    });
  });

  it('answers 200 with an empty protobuf Export*ServiceResponse to protobuf', async () => {
    for (const url of Object.values(sink.urls)) {
      const answer = await post(url, new Uint8Array(), PROTOBUF);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('application/x-protobuf');
      expect(answer.body.length).toBe(0);
    }
    expect(sink.requests().map((r) => [r.signal, r.encoding, r.status])).toEqual([
      ['traces', 'protobuf', 200],
      ['metrics', 'protobuf', 200],
      ['logs', 'protobuf', 200],
    ]);
  });

  it('answers 200 with {} to JSON, content-type parameters and query strings allowed', async () => {
    const answer = await post(`${sink.urls.traces}?x=1`, validJson('one'), {
      'content-type': 'Application/JSON; charset=utf-8',
    });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json');
    expect(JSON.parse(answer.body.toString())).toEqual({});
    expect(sink.spans().map((s) => s.name)).toEqual(['one']);
  });

  it('decompresses gzip bodies and records that they were gzipped', async () => {
    const answer = await post(sink.urls.traces, gzipSync(validJson('zipped')), {
      ...JSON_TYPE,
      'content-encoding': 'gzip',
    });
    expect(answer.status).toBe(200);
    expect(sink.spans().map((s) => s.name)).toEqual(['zipped']);
    expect(sink.requests()[0]).toMatchObject({ gzip: true, status: 200 });
  });
});

describe('bad inputs: the status each gets, nothing recorded, and the server keeps serving', () => {
  it.each([
    ['an unknown path', '/v1/trace', 'POST', PROTOBUF, 404],
    ['the root path', '/', 'POST', JSON_TYPE, 404],
    ['GET on a signal path', '/v1/traces', 'GET', {}, 405],
    ['text/plain', '/v1/logs', 'POST', { 'content-type': 'text/plain' }, 415],
    ['no content type', '/v1/metrics', 'POST', {}, 415],
    ['application/protobuf', '/v1/traces', 'POST', { 'content-type': 'application/protobuf' }, 415],
  ])('%s gets %s', async (_label, path, method, headers: Record<string, string>, status) => {
    const response = await fetch(`${sink.endpoint}${path}`, {
      method,
      headers,
      body: method === 'GET' ? undefined : new Uint8Array([1]),
    });
    expect(response.status).toBe(status);
    await response.arrayBuffer();
    if (status === 405) expect(response.headers.get('allow')).toBe('POST');
    expect(sink.rejected()).toEqual([
      { method, path, contentType: headers['content-type'] ?? '', status },
    ]);
    expect(sink.requests()).toEqual([]);
    await expectStillServing();
  });

  it.each([
    ['garbage protobuf', 'protobuf', Buffer.from('this is not protobuf'), /wire type|truncated/],
    ['a truncated varint', 'protobuf', Buffer.from([0x0a, 0xff]), /truncated varint/],
    ['a truncated message', 'protobuf', Buffer.from([0x0a, 0x10, 0x0a]), /truncated/],
    ['broken JSON', 'json', Buffer.from('{"resourceSpans": ['), /not valid JSON/],
    [
      'a JSON body of the wrong shape',
      'json',
      Buffer.from('{"resourceSpans": 3}'),
      /expected an array/,
    ],
  ] as const)(
    '%s gets 400 with a google.rpc.Status body',
    async (_label, encoding, bytes, message) => {
      const answer = await post(
        sink.urls.traces,
        bytes,
        encoding === 'json' ? JSON_TYPE : PROTOBUF,
      );
      expect(answer.status).toBe(400);
      if (encoding === 'json') {
        expect(answer.contentType).toBe('application/json');
        const status = JSON.parse(answer.body.toString());
        expect(status.code).toBe(3);
        expect(status.message).toMatch(message);
      } else {
        expect(answer.contentType).toBe('application/x-protobuf');
        // google.rpc.Status: field 1 (code) = 3 INVALID_ARGUMENT, then field 2 (message).
        expect([...answer.body.subarray(0, 3)]).toEqual([0x08, 3, 0x12]);
        expect(answer.body.toString('latin1')).toMatch(message);
      }
      expect(sink.requests()).toEqual([
        {
          signal: 'traces',
          encoding,
          gzip: false,
          status: 400,
          error: expect.stringMatching(message),
        },
      ]);
      expect(sink.spans()).toEqual([]);
      await expectStillServing();
    },
  );

  it('answers 400 to a gzip header on a body that is not gzip', async () => {
    const answer = await post(sink.urls.traces, validJson('x'), {
      ...JSON_TYPE,
      'content-encoding': 'gzip',
    });
    expect(answer.status).toBe(400);
    expect(sink.requests()[0]!.error).toMatch(/not valid gzip data/);
    expect(sink.spans()).toEqual([]);
    await expectStillServing();
  });

  it('answers 400 to a Content-Encoding it cannot decompress', async () => {
    const answer = await post(sink.urls.traces, validJson('x'), {
      ...JSON_TYPE,
      'content-encoding': 'br',
    });
    expect(answer.status).toBe(400);
    expect(sink.requests()[0]!.error).toBe('unsupported Content-Encoding "br"');
    await expectStillServing();
  });

  it('answers 413 to a body over maxBodyBytes, whether announced, streamed or far too large', async () => {
    const limit = 64 * 1024;
    const announced = await post(sink.urls.traces, new Uint8Array(limit + 1), PROTOBUF);
    expect(announced.status).toBe(413);

    const streamed = await fetch(sink.urls.traces, {
      method: 'POST',
      headers: PROTOBUF,
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(8 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    await streamed.arrayBuffer();

    const huge = await post(sink.urls.traces, new Uint8Array(limit * 10), PROTOBUF);
    expect(huge.status).toBe(413);

    expect(sink.requests().map((r) => [r.status, r.error])).toEqual([
      [413, `the body is larger than ${limit} bytes`],
      [413, `the body is larger than ${limit} bytes`],
      [413, `the body is larger than ${limit} bytes`],
    ]);
    await expectStillServing();
  });

  it('answers 413 to a small gzip body that inflates past maxBodyBytes', async () => {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const answer = await post(sink.urls.traces, bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(answer.status).toBe(413);
    expect(sink.requests()[0]!.error).toMatch(/decompressed body is larger than/);
    await expectStillServing();
  });

  it('survives a client that disconnects halfway through its body', async () => {
    await new Promise<void>((resolve) => {
      const req = request(sink.urls.traces, {
        method: 'POST',
        headers: { ...PROTOBUF, 'content-length': '1000' },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(10), () => {
        req.destroy();
        resolve();
      });
    });
    await sink.waitFor(() => sink.requests().length === 1);
    expect(sink.requests()[0]).toMatchObject({
      status: 0,
      error: 'the client closed the connection before the body ended',
    });
    await expectStillServing();
  });
});

it('records an export of more items than a function call takes arguments', async () => {
  const many = await startOtlpSink();
  try {
    // 150 000 minimal spans (an id pair each) in one ExportTraceServiceRequest, built by hand.
    const span = Buffer.from([
      0x12,
      0x1c, // 28 bytes: two ids with their tags and lengths
      0x0a,
      0x10,
      ...new Array(16).fill(1),
      0x12,
      0x08,
      ...new Array(8).fill(2),
    ]);
    const spans = Buffer.concat(new Array(150_000).fill(span));
    const scopeSpans = Buffer.concat([Buffer.from([0x12, ...lengthVarint(spans.length)]), spans]);
    const request = Buffer.concat([
      Buffer.from([0x0a, ...lengthVarint(scopeSpans.length)]),
      scopeSpans,
    ]);
    const answer = await post(many.urls.traces, request, PROTOBUF);
    expect(answer.status).toBe(200);
    expect(many.spans()).toHaveLength(150_000);
  } finally {
    await many.close();
  }
});

function lengthVarint(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return out;
}

it('uses a 20 MiB body limit by default', async () => {
  const defaults = await startOtlpSink();
  try {
    const over = await post(defaults.urls.logs, new Uint8Array(20 * 1024 * 1024 + 1), PROTOBUF);
    expect(over.status).toBe(413);
    const under = await post(defaults.urls.logs, new Uint8Array(0), PROTOBUF);
    expect(under.status).toBe(200);
  } finally {
    await defaults.close();
  }
});
