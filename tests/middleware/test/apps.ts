// The same small API built four ways (Express 4, Express 5, Koa 2, Koa 3), with and without the
// middleware, so that one table of cases can run against each and compare the responses.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { ExpressTelemetryOptions } from '@datum-telemetry/express';
import { telemetry as expressTelemetry } from '@datum-telemetry/express';
import type { KoaTelemetryOptions, TelemetryFields } from '@datum-telemetry/koa';
import { telemetry as koaTelemetry } from '@datum-telemetry/koa';
import Router from '@koa/router';
import express5 from 'express';
import express4 from 'express4';
import type Koa from 'koa';
import Koa3 from 'koa';
import Koa2 from 'koa2';

export type Flavor = 'express4' | 'express5' | 'koa2' | 'koa3';
export const FLAVORS: readonly Flavor[] = ['express4', 'express5', 'koa2', 'koa3'];

export const RESOURCE_BASE = '/apis/compute.datumapis.com/v1alpha1/namespaces';
export const RESOURCES = [
  {
    group: 'compute.datumapis.com',
    plural: 'virtualmachines',
    kind: 'VirtualMachine',
    short: 'vm',
  },
] as const;

export interface AppEvents {
  /** Errors Koa reported through `app.on('error')`, and Express error handlers saw. */
  readonly appErrors: unknown[];
  /** Resolves when the slow handler has started. */
  slowStarted: Promise<void>;
  slowResolve?: () => void;
}

type Options = ExpressTelemetryOptions & KoaTelemetryOptions;

/** What the `/login` handlers log: fields that name secrets, as a careless handler would. */
export const LOGIN_FIELDS = Object.freeze({ user: 'ada', password: 'hunter2', token: 'abc' });

function kaboom(): never {
  throw new Error('kaboom');
}

/** An app's own error class that leaves `name` alone: `error.type` is still its class name. */
class NotFoundError extends Error {}

function notFound(): never {
  throw new NotFoundError('no such machine');
}

function throwString(): never {
  throw 'machine not found';
}

function buildExpress(
  flavor: 'express4' | 'express5',
  options: Options | undefined,
  events: AppEvents,
): Server {
  const express = flavor === 'express4' ? express4 : express5;
  const app = express();
  app.set('env', 'production');
  app.set('etag', false);
  // Express 4 does not pass rejected promises to next(); Express 5 does. Same behaviour for both.
  const wrap =
    (fn: (req: express5.Request, res: express5.Response, next: express5.NextFunction) => unknown) =>
    (req: express5.Request, res: express5.Response, next: express5.NextFunction) => {
      Promise.resolve()
        .then(() => fn(req, res, next))
        .catch(next);
    };
  if (options !== undefined) app.use(expressTelemetry(options));
  app.use(express.json());
  app.use((req, res, next) => {
    if (req.path === '/cached' && req.headers['if-none-match'] === '"v1"') {
      res.status(304).end();
      return;
    }
    next();
  });

  const vms = express.Router({ mergeParams: true });
  vms.get('/', (req, res) => {
    req.log?.info(
      { 'resource.namespace': (req.params as Record<string, string>).namespace },
      'listing virtual machines',
    );
    res.json({ items: [] });
  });
  vms.post('/', (req, res) => res.status(201).json({ created: req.body?.metadata?.name ?? null }));
  vms.get('/:name', (req, res) => {
    if (req.params.name === 'missing') return void res.status(404).json({ reason: 'NotFound' });
    res.json({ name: req.params.name });
  });
  vms.put('/:name', (req, res) => res.json({ updated: req.params.name }));
  vms.patch('/:name', (req, res) => res.json({ patched: req.params.name }));
  vms.delete('/:name', (req, res) => res.json({ deleted: req.params.name }));
  app.use(`${RESOURCE_BASE}/:namespace/virtualmachines`, vms);

  const users = express.Router({ mergeParams: true });
  users.get('/:id', (req, res) =>
    res.json({ id: req.params.id, version: (req.params as Record<string, string>).version }),
  );
  const v1 = express.Router({ mergeParams: true });
  v1.use('/users', users);
  app.use('/api/:version', v1);

  app.get('/cached', (_req, res) => res.json({ fresh: true }));
  app.get('/healthz', (_req, res) => res.send('ok'));
  app.get('/headers', (_req, res) => res.set('set-cookie', 'session=abc').json({ ok: true }));
  app.get('/boom', () => kaboom());
  app.get('/subclass-error', () => notFound());
  app.get('/string-error', () => throwString());
  app.get('/next-error', (_req, _res, next) => next(new TypeError('bad thing')));
  app.get(
    '/async-error',
    wrap(async () => Promise.reject(new RangeError('async failure'))),
  );
  app.get('/bad-request', (_req, res) => res.status(400).json({ error: 'bad' }));
  app.get('/throw-400', (_req, _res, next) =>
    next(Object.assign(new Error('nope'), { status: 400, expose: true })),
  );
  app.get('/handled-error', () => {
    throw new SyntaxError('handled');
  });
  app.get('/slow', (req, res) => {
    events.slowResolve?.();
    req.on('close', () => {
      if (!res.writableEnded) res.end();
    });
  });
  app.get('/log', (req, res) => {
    req.log?.info({ operation: 'Reconcile' }, 'inside handler');
    res.json({ logged: true });
  });
  app.get('/login', (req, res) => {
    req.log?.info(LOGIN_FIELDS, 'login');
    res.json({ loggedIn: true });
  });
  app.get('/log-error', (req, res) => {
    req.log?.error(new Error('disk full'), 'could not save');
    res.json({ saved: false });
  });
  app.get('/echo/:text', (req, res) => {
    req.log?.info({ text: req.params.text }, req.params.text);
    res.json({ echoed: true });
  });
  app.get(/^\/regex\/(\d+)$/, (_req, res) => res.json({ regex: true }));
  app.get('/override', (req, res) => {
    req.telemetry?.setResource({
      kind: 'VirtualMachine',
      operation: 'Reconcile',
      short: 'vm',
      name: 'vm-9',
      namespace: 'ops',
    });
    res.json({ overridden: true });
  });
  app.get('/custom/:thing', (req, res) => {
    req.telemetry?.setRoute('/custom/{thing}');
    res.json({ custom: true });
  });
  app.route('/chained/:id').get((req, res) => res.json({ chained: req.params.id }));

  app.use(
    (
      error: unknown,
      req: express5.Request,
      res: express5.Response,
      next: express5.NextFunction,
    ) => {
      events.appErrors.push(error);
      if (req.path === '/handled-error') return void res.status(503).json({ handled: true });
      next(error);
    },
  );
  return createServer(app);
}

function buildKoa(
  flavor: 'koa2' | 'koa3',
  options: Options | undefined,
  events: AppEvents,
): Server {
  const Koa = flavor === 'koa2' ? Koa2 : Koa3;
  const app = new Koa();
  app.on('error', (error: unknown) => events.appErrors.push(error));
  if (options !== undefined) app.use(koaTelemetry(options) as unknown as Koa.Middleware);
  app.use(async (ctx, next) => {
    if (ctx.path === '/handled-error') {
      try {
        await next();
      } catch (error) {
        events.appErrors.push(error);
        ctx.status = 503;
        ctx.body = { handled: true };
      }
      return;
    }
    if (ctx.path === '/cached' && ctx.get('if-none-match') === '"v1"') {
      ctx.status = 304;
      return;
    }
    await next();
  });
  app.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.is('application/json')) {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      (ctx.request as { body?: unknown }).body = JSON.parse(
        Buffer.concat(chunks).toString('utf8') || '{}',
      );
    }
    await next();
  });
  type Ctx = Koa.ParameterizedContext & Partial<TelemetryFields>;

  const vms = new Router({ prefix: `${RESOURCE_BASE}/:namespace/virtualmachines` });
  vms.get('/', (ctx: Ctx) => {
    ctx.log?.info({ 'resource.namespace': ctx.params.namespace }, 'listing virtual machines');
    ctx.body = { items: [] };
  });
  vms.post('/', (ctx: Ctx) => {
    const body = (ctx.request as { body?: { metadata?: { name?: string } } }).body;
    ctx.status = 201;
    ctx.body = { created: body?.metadata?.name ?? null };
  });
  vms.get('/:name', (ctx: Ctx) => {
    if (ctx.params.name === 'missing') {
      ctx.status = 404;
      ctx.body = { reason: 'NotFound' };
      return;
    }
    ctx.body = { name: ctx.params.name };
  });
  vms.put('/:name', (ctx: Ctx) => {
    ctx.body = { updated: ctx.params.name };
  });
  vms.patch('/:name', (ctx: Ctx) => {
    ctx.body = { patched: ctx.params.name };
  });
  vms.delete('/:name', (ctx: Ctx) => {
    ctx.body = { deleted: ctx.params.name };
  });
  app.use(vms.routes());

  const users = new Router();
  users.get('/:id', (ctx: Ctx) => {
    ctx.body = { id: ctx.params.id, version: ctx.params.version };
  });
  const v1 = new Router({ prefix: '/api/:version' });
  v1.use('/users', users.routes());
  app.use(v1.routes());

  const misc = new Router();
  misc.get('/cached', (ctx: Ctx) => {
    ctx.body = { fresh: true };
  });
  misc.get('/healthz', (ctx: Ctx) => {
    ctx.body = 'ok';
  });
  misc.get('/headers', (ctx: Ctx) => {
    ctx.set('set-cookie', 'session=abc');
    ctx.body = { ok: true };
  });
  misc.get('/boom', () => kaboom());
  misc.get('/subclass-error', () => notFound());
  misc.get('/string-error', () => throwString());
  misc.get('/next-error', () => {
    throw new TypeError('bad thing');
  });
  misc.get('/async-error', async () => Promise.reject(new RangeError('async failure')));
  misc.get('/bad-request', (ctx: Ctx) => {
    ctx.status = 400;
    ctx.body = { error: 'bad' };
  });
  misc.get('/throw-400', (ctx: Ctx) => ctx.throw(400, 'nope'));
  misc.get('/handled-error', () => {
    throw new SyntaxError('handled');
  });
  misc.get('/slow', async (ctx: Ctx) => {
    events.slowResolve?.();
    await new Promise((resolve) => ctx.req.on('close', resolve));
    ctx.body = 'late';
  });
  misc.get('/log', (ctx: Ctx) => {
    ctx.log?.info({ operation: 'Reconcile' }, 'inside handler');
    ctx.body = { logged: true };
  });
  misc.get('/login', (ctx: Ctx) => {
    ctx.log?.info(LOGIN_FIELDS, 'login');
    ctx.body = { loggedIn: true };
  });
  misc.get('/log-error', (ctx: Ctx) => {
    ctx.log?.error(new Error('disk full'), 'could not save');
    ctx.body = { saved: false };
  });
  misc.get('/echo/:text', (ctx: Ctx) => {
    ctx.log?.info({ text: ctx.params.text }, ctx.params.text);
    ctx.body = { echoed: true };
  });
  misc.get(/^\/regex\/(\d+)$/, (ctx: Ctx) => {
    ctx.body = { regex: true };
  });
  misc.get('/override', (ctx: Ctx) => {
    ctx.telemetry?.setResource({
      kind: 'VirtualMachine',
      operation: 'Reconcile',
      short: 'vm',
      name: 'vm-9',
      namespace: 'ops',
    });
    ctx.body = { overridden: true };
  });
  misc.get('/custom/:thing', (ctx: Ctx) => {
    ctx.telemetry?.setRoute('/custom/{thing}');
    ctx.body = { custom: true };
  });
  misc.get('/chained/:id', (ctx: Ctx) => {
    ctx.body = { chained: ctx.params.id };
  });
  app.use(misc.routes());
  return createServer(app.callback());
}

export interface BuiltApp {
  readonly server: Server;
  readonly events: AppEvents;
}

/** Builds one flavor; without `options` the app has no telemetry (the baseline). */
export function buildApp(flavor: Flavor, options?: Options): BuiltApp {
  let slowResolve: (() => void) | undefined;
  const events: AppEvents = {
    appErrors: [],
    slowStarted: new Promise<void>((resolve) => {
      slowResolve = resolve;
    }),
  };
  events.slowResolve = () => slowResolve?.();
  const server =
    flavor === 'express4' || flavor === 'express5'
      ? buildExpress(flavor, options, events)
      : buildKoa(flavor, options, events);
  return { server, events };
}
