// The IPAddress API. The middleware names each request span (CreateIPAddress, ...) and parents it
// on the caller's traceparent, so compute-api's create request and this allocation are one trace.

import type { TelemetryFields } from '@datum-telemetry/koa';
import { telemetry } from '@datum-telemetry/koa';
import type { Logger } from '@datum-telemetry/logging';
import type { MetricsHandle } from '@datum-telemetry/metrics';
import { negotiateExposition } from '@datum-telemetry/metrics';
import { createSpanHelper, resourceAttributes } from '@datum-telemetry/tracing';
import Router from '@koa/router';
import Koa from 'koa';
import { networkMetrics, RESOURCES } from './definition.js';

export { RESOURCES };

interface IPAddress {
  apiVersion: 'networking.datumapis.com/v1alpha1';
  kind: 'IPAddress';
  metadata: { name: string; namespace: string };
  status: { address: string };
}

export interface NetworkAppOptions {
  readonly metrics: MetricsHandle;
  readonly logger: Logger;
  /** Addresses in the pool (10.0.0.1 upward). The default value is 250. */
  readonly poolSize?: number;
}

type Ctx = Koa.ParameterizedContext & TelemetryFields;

// #region span-helper
// Checked once, when the module loads: a name that breaks the rules throws here, not in a request.
const allocateIPAddress = createSpanHelper({ operation: 'Allocate', kind: 'IPAddress' });
// #endregion span-helper
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function createNetworkApp({ metrics, logger, poolSize = 250 }: NetworkAppOptions): Koa {
  const { allocations, allocated } = networkMetrics.create(metrics.meter());
  const byKey = new Map<string, IPAddress>();
  const free: string[] = Array.from(
    { length: poolSize },
    (_, i) => `10.0.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}`,
  );

  const app = new Koa();
  app.on('error', (error: Error, ctx?: Koa.Context) => {
    if ((ctx?.status ?? 500) >= 500) logger.error(error, 'request failed');
  });
  // #region koa-middleware
  app.use(telemetry({ service: 'network', resources: [...RESOURCES], logger }));
  app.use(async (ctx, next) => {
    if (ctx.path === '/healthz' || ctx.path === '/readyz') {
      ctx.body = 'ok';
      return;
    }
    if (ctx.path === '/metrics') {
      // OpenMetrics (with exemplars) for Prometheus, the text format 0.0.4 for everyone else.
      const { format, contentType } = negotiateExposition(ctx.get('Accept'));
      ctx.type = contentType;
      ctx.vary('Accept');
      ctx.body = await metrics.scrape({ format });
      return;
    }
    await next();
  });
  // #endregion koa-middleware

  const router = new Router({
    prefix: '/apis/networking.datumapis.com/v1alpha1/namespaces/:namespace/ipaddresses',
  });
  router.get('/', (ctx: Ctx) => {
    const items = [...byKey.values()].filter(
      (ip) => ip.metadata.namespace === ctx.params.namespace,
    );
    ctx.body = { apiVersion: 'networking.datumapis.com/v1alpha1', kind: 'IPAddressList', items };
  });
  router.post('/', async (ctx: Ctx) => {
    const body = await readJson(ctx);
    const name = (body as { metadata?: { name?: unknown } }).metadata?.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      ctx.status = 422;
      ctx.body = {
        kind: 'Status',
        reason: 'Invalid',
        message: 'metadata.name must be a DNS label',
      };
      return;
    }
    const namespace = ctx.params.namespace as string;
    ctx.telemetry?.setResource({
      kind: 'IPAddress',
      operation: 'Create',
      short: 'ipaddress',
      name,
      namespace,
    });
    const key = `${namespace}/${name}`;
    const existing = byKey.get(key);
    if (existing !== undefined) {
      ctx.body = existing;
      return;
    }
    // #region allocate-span
    const ip = await allocateIPAddress(
      resourceAttributes({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'IPAddress',
        metadata: { name, namespace },
      }),
      async () => {
        const address = free.shift();
        if (address === undefined) {
          allocations.add(1, { result: 'exhausted' });
          ctx.throw(503, 'the address pool is exhausted');
        }
        const created: IPAddress = {
          apiVersion: 'networking.datumapis.com/v1alpha1',
          kind: 'IPAddress',
          metadata: { name, namespace },
          status: { address },
        };
        byKey.set(key, created);
        allocations.add(1, { result: 'allocated' });
        allocated.add(1);
        return created;
      },
    );
    ctx.log?.info('address allocated', 'address', ip.status.address);
    // #endregion allocate-span
    ctx.status = 201;
    ctx.body = ip;
  });
  router.get('/:name', (ctx: Ctx) => {
    const ip = byKey.get(`${ctx.params.namespace}/${ctx.params.name}`);
    if (ip === undefined) ctx.throw(404, `ipaddresses "${ctx.params.name}" not found`);
    ctx.body = ip;
  });
  router.delete('/:name', (ctx: Ctx) => {
    const key = `${ctx.params.namespace}/${ctx.params.name}`;
    const ip = byKey.get(key);
    if (ip === undefined) ctx.throw(404, `ipaddresses "${ctx.params.name}" not found`);
    byKey.delete(key);
    free.push(ip.status.address);
    allocated.add(-1);
    ctx.log?.info('address released', 'address', ip.status.address);
    ctx.body = { kind: 'Status', status: 'Success' };
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

async function readJson(ctx: Koa.Context): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > 100_000) ctx.throw(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return ctx.throw(400, 'the body is not JSON');
  }
}
