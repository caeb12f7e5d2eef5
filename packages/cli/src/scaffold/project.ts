import type { ScaffoldFile, ScaffoldFramework } from '../types.js';
import { importLine } from './import-line.js';
import type { ScaffoldNames } from './names.js';
import { stamped } from './stamp.js';
import { datumRange, TESTED_VERSIONS } from './versions.js';

/** The entry point the project files build and start, relative to the project directory. */
export const ENTRY = 'src/server.ts';

/** The API version the starter routes and the scenario use. */
const API_VERSION = 'v1alpha1';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The packages the service needs at run time, and to build, for one framework. */
export function projectPackages(framework: ScaffoldFramework): {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
} {
  const datum = datumRange();
  const v = TESTED_VERSIONS;
  const express = framework === 'express';
  return {
    dependencies: {
      '@datum-telemetry/logging': datum,
      '@datum-telemetry/metrics': datum,
      '@datum-telemetry/tracing': datum,
      [`@datum-telemetry/${framework}`]: datum,
      '@opentelemetry/api': v['@opentelemetry/api'],
      ...(express ? { express: v.express } : { koa: v.koa, '@koa/router': v['@koa/router'] }),
    },
    devDependencies: {
      '@datum-telemetry/cli': datum,
      ...(express ? { '@types/express': v['@types/express'] } : { '@types/koa': v['@types/koa'] }),
      '@types/node': v['@types/node'],
      typescript: v.typescript,
    },
  };
}

/** The validate command of the project: the compiled definition, the scenario, the entry point. */
export function validateCommand(n: ScaffoldNames): string {
  return `datum-telemetry validate --definition dist/telemetry/${n.kebab}.js --scenario scenario.json -- node dist/server.js`;
}

/** The service's name as a file name: `compute-api` for the service `compute_api`. */
function fileStem(n: ScaffoldNames): string {
  return n.service.replace(/_/g, '-');
}

/** The dashboard command of the project: the Grafana dashboard of the compiled definition. */
export function dashboardCommand(n: ScaffoldNames): string {
  return `datum-telemetry dashboard --definition dist/telemetry/${n.kebab}.js --output ${fileStem(n)}.dashboard.json`;
}

/**
 * The alerts command of the project: the Prometheus rules of the definition's SLOs, and their
 * promtool tests beside them (`{service}.rules.test.yml`).
 */
export function alertsCommand(n: ScaffoldNames): string {
  return `datum-telemetry alerts --definition dist/telemetry/${n.kebab}.js --output ${fileStem(n)}.rules.yml`;
}

function packageJson(n: ScaffoldNames, framework: ScaffoldFramework): string {
  return json({
    name: fileStem(n),
    version: '0.1.0',
    private: true,
    // The @datum-telemetry packages are ES modules, and so is the code scaffold writes.
    type: 'module',
    engines: { node: '>=22.15' },
    scripts: {
      build: 'tsc -p .',
      start: 'node dist/server.js',
      'validate:telemetry': validateCommand(n),
      dashboard: dashboardCommand(n),
      alerts: alertsCommand(n),
    },
    ...projectPackages(framework),
  });
}

function tsconfig(): string {
  return json({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types: ['node'],
      strict: true,
      verbatimModuleSyntax: true,
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  });
}

function collection(n: ScaffoldNames): string {
  return `/apis/${n.group}/${API_VERSION}/namespaces/default/${n.plural}`;
}

function scenario(n: ScaffoldNames): string {
  const base = collection(n);
  const name = `${n.kebab}-1`;
  return json({
    readyPath: '/healthz',
    requests: [
      {
        method: 'POST',
        path: base,
        body: { kind: n.kind, metadata: { name } },
        expectStatus: 201,
      },
      { method: 'GET', path: `${base}/${name}`, expectStatus: 200 },
      { method: 'GET', path: base, expectStatus: 200 },
      { method: 'GET', path: `${base}/${n.kebab}-2`, expectStatus: 404 },
      { method: 'DELETE', path: `${base}/${name}`, expectStatus: 200 },
    ],
  });
}

const SERVER_HEADER =
  "// Written by `datum-telemetry scaffold` as a starting point: the resource's routes on an in-memory\n// store. Make it yours: scaffold updates it only while it is as written (the last line says so).\n";

function expressServer(n: ScaffoldNames): string {
  const routes = `/apis/${n.group}/${API_VERSION}/namespaces/:namespace/${n.plural}`;
  return `${SERVER_HEADER}${importLine('express', 'express')}
import {
  setupTelemetry,
  shutdownTelemetryOnSignal,
  telemetryMiddleware,
  ${n.camel}Metrics,
  ${n.camel}Spans,
} from './telemetry/index.js';

const telemetry = setupTelemetry();
const ${n.camel}Instruments = ${n.camel}Metrics.create(telemetry.metrics.meter());
const app = express();
app.use(telemetryMiddleware(telemetry)); // first, before the routes
app.use(express.json());

const collection = '${routes}';
const item = \`\${collection}/:name\`;
const store = new Map<string, unknown>();

app.get('/healthz', (_req, res) => {
  res.send('ok');
});
app.post(collection, async (req, res) => {
  const name = String(req.body?.metadata?.name ?? '');
  try {
    await ${n.camel}Spans.validate(async () => {
      if (name === '') throw new Error('metadata.name is required');
    });
  } catch (error) {
    res.status(422).json({ reason: 'Invalid', message: (error as Error).message });
    return;
  }
  store.set(name, req.body);
  ${n.camel}Instruments.active.add(1);
  await ${n.camel}Spans.reconcile(async () => {
    req.log?.info('reconciling', 'name', name);
  });
  res.status(201).json(req.body);
});
app.get(collection, (_req, res) => {
  res.json({ items: [...store.values()] });
});
app.get(item, (req, res) => {
  const found = store.get(req.params.name);
  if (found === undefined) {
    res.status(404).json({ reason: 'NotFound' });
    return;
  }
  res.json(found);
});
app.delete(item, (req, res) => {
  if (!store.delete(req.params.name)) {
    res.status(404).json({ reason: 'NotFound' });
    return;
  }
  ${n.camel}Instruments.active.add(-1);
  res.json({ status: 'Success' });
});

const server = app.listen(Number(process.env.PORT ?? 8080));
shutdownTelemetryOnSignal(server, telemetry);
`;
}

function koaServer(n: ScaffoldNames): string {
  const prefix = `/apis/${n.group}/${API_VERSION}/namespaces/:namespace/${n.plural}`;
  return `${SERVER_HEADER}${importLine('Router', '@koa/router')}
${importLine('Koa', 'koa')}
import {
  setupTelemetry,
  shutdownTelemetryOnSignal,
  telemetryMiddleware,
  ${n.camel}Metrics,
  ${n.camel}Spans,
} from './telemetry/index.js';

const telemetry = setupTelemetry();
const ${n.camel}Instruments = ${n.camel}Metrics.create(telemetry.metrics.meter());
const app = new Koa();
app.use(telemetryMiddleware(telemetry)); // first, before the routes

const router = new Router({ prefix: '${prefix}' });
const store = new Map<string, unknown>();

app.use(async (ctx, next) => {
  if (ctx.path === '/healthz') {
    ctx.body = 'ok';
    return;
  }
  await next();
});
router.post('/', async (ctx) => {
  let text = '';
  for await (const chunk of ctx.req) text += String(chunk);
  let body: { metadata?: { name?: string } };
  try {
    body = JSON.parse(text) as { metadata?: { name?: string } };
  } catch {
    ctx.status = 400;
    ctx.body = { reason: 'BadRequest', message: 'the body is not JSON' };
    return;
  }
  const name = body.metadata?.name ?? '';
  try {
    await ${n.camel}Spans.validate(async () => {
      if (name === '') throw new Error('metadata.name is required');
    });
  } catch (error) {
    ctx.status = 422;
    ctx.body = { reason: 'Invalid', message: (error as Error).message };
    return;
  }
  store.set(name, body);
  ${n.camel}Instruments.active.add(1);
  await ${n.camel}Spans.reconcile(async () => {
    telemetry.logger.info('reconciling', 'name', name);
  });
  ctx.status = 201;
  ctx.body = body;
});
router.get('/', (ctx) => {
  ctx.body = { items: [...store.values()] };
});
router.get('/:name', (ctx) => {
  const found = store.get(ctx.params.name!);
  if (found === undefined) {
    ctx.status = 404;
    ctx.body = { reason: 'NotFound' };
    return;
  }
  ctx.body = found;
});
router.delete('/:name', (ctx) => {
  if (!store.delete(ctx.params.name!)) {
    ctx.status = 404;
    ctx.body = { reason: 'NotFound' };
    return;
  }
  ${n.camel}Instruments.active.add(-1);
  ctx.body = { status: 'Success' };
});
app.use(router.routes());

const server = app.listen(Number(process.env.PORT ?? 8080));
shutdownTelemetryOnSignal(server, telemetry);
`;
}

/**
 * The files of a runnable project around the telemetry modules: package.json (ESM, the packages
 * and their tested versions), tsconfig.json, a starter server with the resource's routes, and the
 * scenario the validate step drives. Each is a `starter`: written when absent, and never changed
 * once it differs (the server, stamped like the modules, is updated while it is as written).
 */
export function projectFiles(n: ScaffoldNames, framework: ScaffoldFramework): ScaffoldFile[] {
  return [
    { path: 'package.json', content: packageJson(n, framework), starter: true },
    { path: 'tsconfig.json', content: tsconfig(), starter: true },
    {
      path: ENTRY,
      content: stamped(framework === 'express' ? expressServer(n) : koaServer(n)),
      starter: true,
    },
    { path: 'scenario.json', content: scenario(n), starter: true },
  ];
}
