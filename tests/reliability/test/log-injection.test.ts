// Requests whose path, query and headers hold newlines, other control characters, Unicode line
// separators and a forged JSON log record must not produce a log line of their own in either
// service's stdout: every line stays one record, and the forged text is only ever a field's value.
import type { DemoService } from '@datum-telemetry/demo/lib.mjs';
import { startServices } from '@datum-telemetry/demo/lib.mjs';
import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, requestBytes } from './support/raw-http.js';

const MARKER = 'FORGED-bx7';
/** A whole bunyan record, as an attacker would like it to appear on a line of its own. */
const FORGED_RECORD = JSON.stringify({
  name: 'compute',
  hostname: 'vm',
  pid: 1,
  level: 60,
  msg: MARKER,
  time: '2020-01-01T00:00:00.000Z',
  v: 0,
});
/** Everything that ends a line for some reader, then the forged record, then a terminal escape. */
const BREAKERS = '\n\r\n\r\u000b\u000c\u001c\u0085\u2028\u2029';
const HOSTILE = `x${BREAKERS}${FORGED_RECORD}\n\u0000\u001b[31m`;
const ENCODED = encodeURIComponent(HOSTILE);
/** What a header can carry: tab and Latin-1 bytes (0x85 is NEL); CR, LF and NUL end the request. */
const HEADER_HOSTILE = `ua\t\u0085${FORGED_RECORD}\u0085\u009b31m`;

/** Any character some reader splits lines on (`\n` itself is the line end and not looked for). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const RAW_LINE_BREAK = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

const VMS = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines';
const IPS = '/apis/networking.datumapis.com/v1alpha1/namespaces/default/ipaddresses';

interface HostileRequest {
  readonly what: string;
  readonly service: 'compute' | 'network';
  readonly bytes: Buffer;
  readonly status: number;
}

const headers = { 'user-agent': HEADER_HOSTILE, referer: HEADER_HOSTILE };

function hostileRequests(): HostileRequest[] {
  const out: HostileRequest[] = [];
  for (const [service, base] of [
    ['compute', VMS],
    ['network', IPS],
  ] as const) {
    const namespaceBase = base.replace('/default/', `/${ENCODED}/`);
    out.push(
      {
        what: 'an encoded item name',
        service,
        bytes: requestBytes('GET', `${base}/${ENCODED}`, headers),
        status: 404,
      },
      {
        what: 'an encoded namespace',
        service,
        bytes: requestBytes('GET', namespaceBase, headers),
        status: 200,
      },
      {
        what: 'an encoded query key and value',
        service,
        bytes: requestBytes('GET', `${base}?${ENCODED}=${ENCODED}&q=${ENCODED}`, headers),
        status: 200,
      },
      {
        what: 'an unmatched path',
        service,
        bytes: requestBytes('GET', `/${ENCODED}/${MARKER}?${ENCODED}`, headers),
        status: 404,
      },
      {
        what: 'a delete of an encoded name',
        service,
        bytes: requestBytes('DELETE', `${base}/${ENCODED}`, headers),
        status: 404,
      },
      {
        // The raw bytes of a forged line in the path: Node's HTTP parser refuses them (400) before
        // any application code, or telemetry, sees the request.
        what: 'raw control characters and Latin-1 bytes in the path',
        service,
        bytes: requestBytes(
          'GET',
          Buffer.concat([
            Buffer.from(`${base}/x`),
            Buffer.from([0x85, 0x1b, 0x0b]),
            Buffer.from(FORGED_RECORD),
          ]),
          headers,
        ),
        status: 400,
      },
    );
  }
  return out;
}

/** Each string anywhere in a parsed record (keys included), as [path, key or value, text]. */
function strings(value: unknown, path = ''): [string, 'key' | 'value', string][] {
  if (typeof value === 'string') return [[path, 'value', value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    [`${path}.${key}`, 'key', key] as [string, 'key', string],
    ...strings(inner, `${path}.${key}`),
  ]);
}

async function runAgainst(env: Record<string, string>) {
  const { compute, network } = await startServices({ LOG_LEVEL: 'trace', ...env });
  const services: Record<'compute' | 'network', DemoService> = { compute, network };
  const statuses: number[] = [];
  try {
    for (const request of hostileRequests()) {
      statuses.push(await rawRequest(services[request.service].url, request.bytes));
    }
  } finally {
    await compute.stop();
    await network.stop();
  }
  return {
    statuses,
    stdouts: [compute.stdout(), network.stdout()],
  };
}

describe('hostile paths, queries and headers, with spans and logs exported over OTLP', () => {
  let sink: OtlpSink;
  let run: Awaited<ReturnType<typeof runAgainst>>;

  beforeAll(async () => {
    sink = await startOtlpSink();
    run = await runAgainst({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint });
  }, 60_000);
  afterAll(async () => {
    await sink?.close();
  });

  it('reached the services, which answered as for any other bad request', () => {
    expect(run.statuses).toEqual(hostileRequests().map((r) => r.status));
  });

  it('left every stdout line one JSON record, the forged text only inside field values', () => {
    let carriers = 0;
    for (const stdout of run.stdouts) {
      const lines = stdout.split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(7);
      for (const line of lines) {
        expect(line, 'no raw line-breaking character').not.toMatch(RAW_LINE_BREAK);
        const record = JSON.parse(line) as Record<string, unknown>;
        expect(typeof record).toBe('object');
        // A forged line would be a record of its own with the forged message and level.
        expect(record.msg).not.toBe(MARKER);
        expect(line).not.toContain(FORGED_RECORD);
        if (!line.includes(MARKER)) continue;
        carriers++;
        const found = strings(record).filter(([, , text]) => text.includes(MARKER));
        expect(found.length, line).toBeGreaterThan(0);
        for (const [path, kind] of found) expect(kind, `${path} in ${line}`).toBe('value');
      }
    }
    // The hostile paths did reach the logs (the access log lines record them, percent-encoded).
    expect(carriers).toBeGreaterThanOrEqual(8);
  });
});

describe('hostile paths, queries and headers, with spans on the console (no collector)', () => {
  let run: Awaited<ReturnType<typeof runAgainst>>;

  beforeAll(async () => {
    run = await runAgainst({});
  }, 60_000);

  it('left every stdout line one JSON log record or one span line, with no raw line break', () => {
    expect(run.statuses).toEqual(hostileRequests().map((r) => r.status));
    let spanLines = 0;
    for (const stdout of run.stdouts) {
      for (const line of stdout.split('\n')) {
        expect(line, 'no raw line-breaking character').not.toMatch(RAW_LINE_BREAK);
        expect(line).not.toContain(FORGED_RECORD);
        if (line.startsWith('{')) {
          expect((JSON.parse(line) as { msg?: unknown }).msg).not.toBe(MARKER);
        } else {
          // A readable span line: `Name kind 1.23ms STATUS ...`, which the hostile User-Agent
          // (user_agent.original, a quoted JSON string) does not end early.
          expect(line).toMatch(/^\S+( \S+)? (internal|server|client) [0-9.]+ms (UNSET|OK|ERROR)/);
          spanLines++;
          const userAgent = / user_agent\.original=("(?:[^"\\]|\\.)*")/.exec(line)?.[1];
          if (userAgent !== undefined) expect(JSON.parse(userAgent)).toBe(HEADER_HOSTILE);
        }
      }
    }
    expect(spanLines).toBeGreaterThanOrEqual(10);
  });
});
