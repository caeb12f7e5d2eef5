// `otlp.exporter`: ours (`datum`, the default) and the stock exporter (`opentelemetry`) deliver the
// same log records to a real OTLP receiver; the choice is checked like every option.
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OtlpSink, SinkLogRecord } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoggingOptions } from '../src/index.js';
import { ConfigError, setupLogging } from '../src/index.js';

let sink: OtlpSink;
beforeAll(async () => {
  sink = await startOtlpSink();
});
afterAll(async () => {
  await sink.close();
});
beforeEach(() => sink.clear());

function options(otlp: LoggingOptions['otlp']): LoggingOptions {
  return { service: 'compute', level: 'trace', env: {}, exporter: 'otlp', stream: null, otlp };
}

async function logSome(setup: ReturnType<typeof setupLogging>): Promise<void> {
  const log = setup.logger.child({ operation: 'create' });
  log.info('resource created', 'name', 'vm-1', 'spec', { cpu: 2, zones: ['a', 'b'] });
  log.error(new Error('quota exceeded'), 'failed', 'ratio', 0.5);
  log.debug('détails 🚀', 'ok', true);
  await setup.forceFlush();
  await setup.shutdown();
}

/** Everything but the times and stack traces of this run, in a fixed order. */
function comparable(records: SinkLogRecord[]) {
  const stackless = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, /stack/.test(k) ? typeof v : stackless(v)]),
        )
      : value;
  return records
    .map(({ timeUnixNano, observedTimeUnixNano, ...rest }) => ({
      ...rest,
      attributes: stackless(rest.attributes),
      timed: timeUnixNano > 0n && observedTimeUnixNano > 0n,
    }))
    .sort((a, b) => String(a.body).localeCompare(String(b.body)));
}

describe.each(['http/protobuf', 'http/json'] as const)('over %s', (protocol) => {
  it('a real receiver gets the same records from ours (the default) as from the stock exporter', async () => {
    await logSome(setupLogging(options({ endpoint: sink.endpoint, protocol })));
    const ours = sink.logs();
    sink.clear();
    await logSome(
      setupLogging(options({ endpoint: sink.endpoint, protocol, exporter: 'opentelemetry' })),
    );
    const theirs = sink.logs();
    expect(ours).toHaveLength(3);
    expect(comparable(ours)).toEqual(comparable(theirs));
    expect(comparable(ours)[2]).toMatchObject({
      body: 'resource created',
      severityText: 'INFO',
      attributes: {
        operation: 'create',
        'resource.name': 'vm-1',
        spec: { cpu: 2, zones: ['a', 'b'] },
      },
      resource: { 'service.name': 'compute' },
      scope: { name: '@datum-telemetry/logging' },
    });
  });
});

describe('which exporter sends', () => {
  it('the default is ours, "opentelemetry" the stock one (told apart by their User-Agent)', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume().on('end', () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const exporter of [undefined, 'datum', 'opentelemetry'] as const) {
        const setup = setupLogging(options({ endpoint, exporter }));
        setup.logger.info('hello');
        await setup.shutdown();
      }
    } finally {
      server.close();
    }
    expect(seen.map((h) => h['user-agent']?.split('/')[0])).toEqual([
      'datum-telemetry-otlp',
      'datum-telemetry-otlp',
      'OTel-OTLP-Exporter-JavaScript',
    ]);
  });

  it('otlp.exporter other than "datum" or "opentelemetry" is a ConfigError naming it', () => {
    expect(() => setupLogging(options({ exporter: 'stock' as 'datum' }))).toThrow(ConfigError);
    expect(() => setupLogging(options({ exporter: 'stock' as 'datum' }))).toThrow(
      /^otlp\.exporter: got "stock"; expected "datum" or "opentelemetry"/,
    );
  });
});
