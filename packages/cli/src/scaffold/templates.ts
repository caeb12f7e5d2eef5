import type { ScaffoldFile, ScaffoldFramework, ScaffoldOptions } from '../types.js';
import { importLine } from './import-line.js';
import type { ScaffoldNames } from './names.js';
import { scaffoldNames } from './names.js';
import {
  alertsCommand,
  dashboardCommand,
  ENTRY,
  projectFiles,
  projectPackages,
  validateCommand,
} from './project.js';
import { stamped } from './stamp.js';

/** Where the generated modules go, relative to the project directory. */
export const TELEMETRY_DIR = 'src/telemetry';

const HEADER =
  '// Written by `datum-telemetry scaffold`. Edit it as you like: scaffold updates it only while it is\n// as written (the last line says so), and never overwrites a changed file unless run with --force.\n';

const ADAPTER: Readonly<Record<ScaffoldFramework, string>> = {
  express: '@datum-telemetry/express',
  koa: '@datum-telemetry/koa',
};

function setupModule(n: ScaffoldNames): string {
  return `${HEADER}${importLine('{ setupLogging }', '@datum-telemetry/logging')}
${importLine('{ setupMetrics }', '@datum-telemetry/metrics')}
${importLine('{ setupTracing }', '@datum-telemetry/tracing')}

/** The service name: \`service.name\`, and the first segment of every metric name. */
export const SERVICE = '${n.service}';

/**
 * Sets up traces, metrics and logs. Call it once, first thing at start-up, before the app is
 * built. OTEL_* variables work as in the OpenTelemetry SDK: OTEL_EXPORTER_OTLP_ENDPOINT sends all
 * three to a collector; without it, metrics are served for Prometheus and spans are printed.
 */
export function setupTelemetry() {
  const tracing = setupTracing({ service: SERVICE });
  const metrics = setupMetrics({ service: SERVICE });
  const logging = setupLogging({ service: SERVICE });
  return {
    tracing,
    metrics,
    logger: logging.logger,
    /** Flushes and stops every signal, each within its deadline; never rejects. */
    async shutdown(): Promise<void> {
      await Promise.all([tracing.shutdown(), metrics.shutdown(), logging.shutdown()]);
    },
  };
}

/** What \`setupTelemetry\` returns. */
export type Telemetry = ReturnType<typeof setupTelemetry>;
`;
}

/** An objective name from a metric segment: camelCase (`ip_address` gives `ipAddress`), as `slo` wants. */
function sloPrefix(short: string): string {
  return short.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_+$/, '');
}

function resourceModule(n: ScaffoldNames): string {
  const { service, short, kind, camel } = n;
  const slo = sloPrefix(short);
  return `${HEADER}${importLine('{ defineMetrics }', '@datum-telemetry/metrics')}
${importLine('{ createSpanHelper }', '@datum-telemetry/tracing')}
import { SERVICE } from './setup.js';

/**
 * The ${kind} resource, for the middleware: requests to
 * \`/apis/${n.group}/{version}/namespaces/{namespace}/${n.plural}[/{name}]\` get spans named
 * \`{Operation}${kind}\` (Create${kind}, Get${kind}, ...) and the request metrics below.
 */
export const ${camel}Resource = {
  group: '${n.group}',
  plural: '${n.plural}',
  kind: '${kind}',
  short: '${short}',
} as const;

const requestAttributes = [
  'http.request.method',
  'http.route',
  'http.response.status_code',
  'operation',
] as const;

/**
 * The ${kind} metrics. The middleware records \`requests\` and \`duration\` for every request to
 * the resource, under these names; the service records \`active\`:
 * \`const ${camel}Instruments = ${camel}Metrics.create(telemetry.metrics.meter()); ${camel}Instruments.active.add(1);\`.
 * \`datum-telemetry validate --definition\` with this module's compiled file checks all three.
 */
export const ${camel}Metrics = defineMetrics({
  service: SERVICE,
  metrics: {
    requests: {
      name: '${service}.${short}.requests.total',
      kind: 'counter',
      unit: '{request}',
      description: 'Requests to the ${kind} API',
      attributes: requestAttributes,
      valueType: 'int',
    },
    active: {
      name: '${service}.${short}.active',
      kind: 'updowncounter',
      unit: '{${short}}',
      description: '${kind} resources that exist',
      valueType: 'int',
    },
    duration: {
      name: '${service}.${short}.request.duration.seconds',
      kind: 'histogram',
      unit: 's',
      description: 'How long requests to the ${kind} API take',
      attributes: requestAttributes,
    },
  },
  // The resource the middleware serves: \`datum-telemetry dashboard\` draws its row (request
  // rate, errors, latency by operation) and the SLOs below may name it.
  resources: [${camel}Resource],
  // Service-level objectives: \`datum-telemetry alerts\` writes multi-window burn-rate alerts for
  // each (page on a fast burn, ticket on a slow one) and promtool tests for them. Set your targets
  // and your runbook; a latency threshold must be one of the duration histogram's bucket bounds.
  slo: {
    ${slo}Availability: {
      resource: '${short}',
      availability: 99.9,
      runbookUrl: 'https://runbooks.example.com/${n.service.replace(/_/g, '-')}/${short}-availability',
      description: '${kind} requests succeed',
    },
    ${slo}Latency: {
      resource: '${short}',
      latency: { threshold: 0.5, target: 99 },
      runbookUrl: 'https://runbooks.example.com/${n.service.replace(/_/g, '-')}/${short}-latency',
      description: '${kind} requests answer within 0.5 s',
    },
  },
});

/**
 * Spans for ${kind} work inside a request or outside one (a controller loop):
 * \`await ${camel}Spans.reconcile(async (span) => { ... })\`. Errors are recorded and rethrown.
 */
export const ${camel}Spans = {
  validate: createSpanHelper({ operation: 'Validate', kind: '${kind}' }),
  reconcile: createSpanHelper({ operation: 'Reconcile', kind: '${kind}' }),
};
`;
}

function middlewareModule(n: ScaffoldNames, framework: ScaffoldFramework): string {
  const adapter = ADAPTER[framework];
  const alias = `${framework}Telemetry`;
  return `${HEADER}${importLine('type { Server }', 'node:http')}
${importLine(`{ shutdownOnSignal, telemetry as ${alias} }`, adapter)}
import type { Telemetry } from './setup.js';
import { SERVICE } from './setup.js';
import { ${n.camel}Resource } from './${n.kebab}.js';

/**
 * The request middleware: one span, the request metrics and an access log line per request, and
 * a request-scoped logger (\`${framework === 'express' ? 'req.log' : 'ctx.log'}\`) with the trace ids.
 * \`app.use(telemetryMiddleware(telemetry))\` first, before the routes.
 */
export function telemetryMiddleware(telemetry: Telemetry) {
  return ${alias}({
    service: SERVICE,
    resources: [${n.camel}Resource],
    logger: telemetry.logger,
  });
}

/** On SIGTERM or SIGINT: stop accepting requests, let the open ones finish, flush, exit. */
export function shutdownTelemetryOnSignal(server: Server, telemetry: Telemetry) {
  return shutdownOnSignal(server, { flush: telemetry.shutdown });
}
`;
}

function indexModule(n: ScaffoldNames): string {
  return `${HEADER}export { shutdownTelemetryOnSignal, telemetryMiddleware } from './middleware.js';
export type { Telemetry } from './setup.js';
export { SERVICE, setupTelemetry } from './setup.js';
export { ${n.camel}Metrics, ${n.camel}Resource, ${n.camel}Spans } from './${n.kebab}.js';
`;
}

/**
 * The files `scaffold` writes, as a pure function of the options: the same options always give
 * the same bytes. The telemetry modules end with a stamp of their content, so that a later run
 * tells a file it wrote (updated freely: another `--framework`) from one changed by hand (kept
 * unless `--force`); the project files around them are `starter`s, written only when absent.
 * Throws a `UsageError` naming the rule a name breaks.
 */
export function scaffoldFiles(options: ScaffoldOptions): ScaffoldFile[] {
  const n = scaffoldNames(options);
  const modules = [
    { path: `${TELEMETRY_DIR}/setup.ts`, content: setupModule(n) },
    { path: `${TELEMETRY_DIR}/${n.kebab}.ts`, content: resourceModule(n) },
    { path: `${TELEMETRY_DIR}/middleware.ts`, content: middlewareModule(n, options.framework) },
    { path: `${TELEMETRY_DIR}/index.ts`, content: indexModule(n) },
  ];
  return [
    ...modules.map((file) => ({ ...file, content: stamped(file.content) })),
    ...projectFiles(n, options.framework),
  ];
}

function installLine(options: ScaffoldOptions): string[] {
  const { dependencies, devDependencies } = projectPackages(options.framework);
  const names = (deps: Record<string, string>) => Object.keys(deps).join(' ');
  return [
    `       npm install ${names(dependencies)}`,
    `       npm install --save-dev ${names(devDependencies)}`,
  ];
}

/**
 * The build step: `npm run build` where package.json has a `build` script (scaffold's has), else
 * the compiler itself, and the script to add for next time.
 */
function buildLines(hasBuildScript: boolean): string[] {
  return hasBuildScript
    ? ['       npm run build']
    : [
        '       npx tsc -p .',
        '     (package.json has no "build" script; to add one: "build": "tsc -p .")',
      ];
}

/**
 * What to do after scaffolding. `ours` lists the starter files that are scaffold's (written by
 * this run, or already the same): by default all of them, a new project. Where the project has
 * its own package.json or entry point, the steps say what to install and what to wire instead;
 * `scripts` names the scripts of that package.json (a step runs `npm run X` only when it has X).
 */
export function nextSteps(
  options: ScaffoldOptions,
  ours: readonly string[] = ['package.json', 'tsconfig.json', ENTRY, 'scenario.json'],
  scripts: readonly string[] = [],
): string {
  const n = scaffoldNames(options);
  const express = options.framework === 'express';
  const imports = `setupTelemetry, shutdownTelemetryOnSignal, telemetryMiddleware, ${n.camel}Metrics, ${n.camel}Spans`;
  const wiring = [
    express ? importLine('express', 'express') : importLine('Koa', 'koa'),
    `import { ${imports} } from './telemetry/index.js';`,
    '',
    'const telemetry = setupTelemetry();',
    `const ${n.camel}Instruments = ${n.camel}Metrics.create(telemetry.metrics.meter());`,
    express ? 'const app = express();' : 'const app = new Koa();',
    'app.use(telemetryMiddleware(telemetry)); // first, before the routes',
    `// your routes: ${n.camel}Instruments.active.add(1) when a ${n.kind} is created, add(-1) when deleted;`,
    `// run validation and reconciliation in ${n.camel}Spans.validate(...) / .reconcile(...)`,
    'const server = app.listen(Number(process.env.PORT ?? 8080));',
    'shutdownTelemetryOnSignal(server, telemetry);',
  ];
  const ownPackage = !ours.includes('package.json');
  const ownEntry = !ours.includes(ENTRY);
  const ownScenario = !ours.includes('scenario.json');
  const build = buildLines(!ownPackage || scripts.includes('build'));
  return [
    'Next steps:',
    ...(ownPackage
      ? [
          '  1. Install the packages:',
          ...installLine(options),
          '     The project must be ESM, as the @datum-telemetry packages are: "type": "module" in',
          '     package.json, and "module": "NodeNext" in tsconfig.json (src/telemetry uses .js imports).',
        ]
      : [
          '  1. Install the packages package.json lists (an ESM project: "type": "module"):',
          '       npm install',
        ]),
    ...(ownEntry
      ? [
          '  2. Wire them in your entry point (setupTelemetry() first, before the app is built):',
          ...wiring.map((line) => (line === '' ? '' : `       ${line}`)),
          '     and build:',
          ...build,
        ]
      : [
          `  2. Build ${ENTRY} (${express ? 'an Express' : 'a Koa'} server of the ${n.kind} routes, wired with the telemetry):`,
          ...build,
        ]),
    ownScenario
      ? '  3. Check the telemetry with a scenario of requests to your API (scenario.json):'
      : '  3. Start it, drive scenario.json through it and check its telemetry:',
    `       npx ${validateCommand(n)}`,
    "  4. Write its Grafana dashboard, and the Prometheus alert rules of its SLOs (the definition's",
    '     `slo` section; promtool tests beside the rules):',
    `       npx ${dashboardCommand(n)}`,
    `       npx ${alertsCommand(n)}`,
    '',
  ].join('\n');
}
