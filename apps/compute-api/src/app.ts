// The VirtualMachine API. Telemetry comes from three places: the middleware (a span, metrics and an
// access log line per request, named by the conventions), the span helper for the internal
// ReconcileVirtualMachine operation, and the service's own metrics (compute.vm.active, the
// provisioning histogram).
import { EventEmitter } from 'node:events';
import { recordErrors, telemetry } from '@datum-telemetry/express';
import type { Logger } from '@datum-telemetry/logging';
import type { MetricsHandle } from '@datum-telemetry/metrics';
import { createSpanHelper, resourceAttributes } from '@datum-telemetry/tracing';
import express from 'express';
import { computeMetrics, RESOURCES } from './definition.js';
import type { NetworkClient } from './network-client.js';
import type { VirtualMachine } from './store.js';
import { VirtualMachineStore, validateVirtualMachine } from './store.js';

export { RESOURCES };

const BASE = '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines';

export interface ComputeAppOptions {
  readonly metrics: MetricsHandle;
  readonly logger: Logger;
  readonly network: NetworkClient;
}

// #region span-helper
// Checked once, when the module loads: a bad name would throw here, not in a request.
const reconcileVirtualMachine = createSpanHelper({
  operation: 'Reconcile',
  kind: 'VirtualMachine',
});
// #endregion span-helper

export function createComputeApp({ metrics, logger, network }: ComputeAppOptions): express.Express {
  const store = new VirtualMachineStore();
  const changes = new EventEmitter();
  const { vmActive, vmProvisioning } = computeMetrics.create(metrics.meter());

  // #region express-middleware
  const app = express();
  app.use(telemetry({ service: 'compute', resources: [...RESOURCES], logger }));
  app.use(express.json({ limit: '100kb' }));

  app.get('/healthz', (_req, res) => res.send('ok'));
  app.get('/readyz', (_req, res) => res.send('ok'));
  app.get('/metrics', metrics.metricsHandler);
  // #endregion express-middleware

  // The injected failure mode: any request with this header fails with a 500.
  app.use((req, _res, next) => {
    if (req.headers['x-inject-failure'] === 'true') next(new Error('injected failure'));
    else next();
  });

  app.get(BASE, (req, res) => {
    const namespace = req.params.namespace as string;
    if (req.query.watch === 'true' || req.query.watch === '1') {
      res.setHeader('content-type', 'application/json');
      const send = (type: string, object: VirtualMachine) =>
        res.write(`${JSON.stringify({ type, object })}\n`);
      for (const vm of store.list(namespace)) send('ADDED', vm);
      const onChange = (type: string, vm: VirtualMachine) => {
        if (vm.metadata.namespace === namespace) send(type, vm);
      };
      changes.on('change', onChange);
      req.on('close', () => changes.off('change', onChange));
      return;
    }
    req.log?.debug('listing virtual machines');
    res.json({
      apiVersion: 'compute.datumapis.com/v1alpha1',
      kind: 'VirtualMachineList',
      items: store.list(namespace),
    });
  });

  app.post(BASE, async (req, res, next) => {
    const namespace = req.params.namespace as string;
    const problems = validateVirtualMachine(req.body);
    if (problems.length > 0) {
      req.log?.warn({ problems }, 'invalid virtual machine');
      res.status(422).json({ kind: 'Status', reason: 'Invalid', message: problems.join('; ') });
      return;
    }
    const name = req.body.metadata.name as string;
    // #region create-handler
    req.telemetry?.setResource({
      kind: 'VirtualMachine',
      operation: 'Create',
      short: 'vm',
      name,
      namespace,
    });
    if (store.get(namespace, name) !== undefined) {
      res.status(409).json({
        kind: 'Status',
        reason: 'AlreadyExists',
        message: `virtualmachines "${name}" already exists`,
      });
      return;
    }
    const started = performance.now();
    try {
      const vm = await reconcileVirtualMachine(
        resourceAttributes({
          apiVersion: 'compute.datumapis.com/v1alpha1',
          kind: 'VirtualMachine',
          metadata: { name, namespace },
        }),
        async () => {
          // Recorded inside the span: the measurements' exemplars point at ReconcileVirtualMachine.
          try {
            const { address } = await network.allocate(namespace, name);
            const created: VirtualMachine = {
              apiVersion: 'compute.datumapis.com/v1alpha1',
              kind: 'VirtualMachine',
              metadata: {
                name,
                namespace,
                uid: crypto.randomUUID(),
                creationTimestamp: new Date().toISOString(),
              },
              spec: { cpu: req.body.spec.cpu, memoryGiB: req.body.spec.memoryGiB },
              status: { phase: 'Running', address },
            };
            store.put(created);
            vmActive.add(1, { namespace });
            vmProvisioning.record((performance.now() - started) / 1000, { result: 'created' });
            return created;
          } catch (error) {
            vmProvisioning.record((performance.now() - started) / 1000, { result: 'failed' });
            throw error;
          }
        },
      );
      changes.emit('change', 'ADDED', vm);
      logger.withResource(vm).info('virtual machine created', 'address', vm.status.address);
      res.status(201).json(vm);
    } catch (error) {
      next(error);
    }
    // #endregion create-handler
  });

  app.get(`${BASE}/:name`, (req, res) => {
    const vm = store.get(req.params.namespace as string, req.params.name as string);
    if (vm === undefined) {
      res.status(404).json({
        kind: 'Status',
        reason: 'NotFound',
        message: `virtualmachines "${req.params.name}" not found`,
      });
      return;
    }
    res.json(vm);
  });

  app.put(`${BASE}/:name`, (req, res) => {
    const namespace = req.params.namespace as string;
    const vm = store.get(namespace, req.params.name as string);
    if (vm === undefined) {
      res.status(404).json({
        kind: 'Status',
        reason: 'NotFound',
        message: `virtualmachines "${req.params.name}" not found`,
      });
      return;
    }
    const problems = validateVirtualMachine(req.body);
    if (problems.length > 0) {
      res.status(422).json({ kind: 'Status', reason: 'Invalid', message: problems.join('; ') });
      return;
    }
    const updated: VirtualMachine = {
      ...vm,
      spec: { cpu: req.body.spec.cpu, memoryGiB: req.body.spec.memoryGiB },
    };
    store.put(updated);
    changes.emit('change', 'MODIFIED', updated);
    res.json(updated);
  });

  app.delete(`${BASE}/:name`, async (req, res, next) => {
    const namespace = req.params.namespace as string;
    const name = req.params.name as string;
    const vm = store.delete(namespace, name);
    if (vm === undefined) {
      res.status(404).json({
        kind: 'Status',
        reason: 'NotFound',
        message: `virtualmachines "${name}" not found`,
      });
      return;
    }
    try {
      await network.release(namespace, name);
    } catch (error) {
      req.log?.warn(error as Error, 'could not release the address');
    }
    vmActive.add(-1, { namespace });
    changes.emit('change', 'DELETED', vm);
    logger.withResource(vm).info('virtual machine deleted');
    res.json({ kind: 'Status', status: 'Success' });
    void next;
  });

  // A body the JSON parser refused (not JSON, too large, a bad charset) is the client's mistake:
  // answer its 4xx without recording it as a failure. The parser's message quotes the body around
  // the bad token, and that may be a password, so it is never logged, recorded or sent back.
  app.use(
    (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
      const status = bodyErrorStatus(error);
      if (status === undefined) {
        next(error);
        return;
      }
      res.status(status).json({
        kind: 'Status',
        reason: status === 413 ? 'RequestEntityTooLarge' : 'BadRequest',
        message: `the request body could not be read (${(error as { type: string }).type})`,
      });
    },
  );
  // #region error-handler
  // Record errors on the request span, then answer them the Kubernetes way.
  app.use(recordErrors());
  app.use(
    (error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
      req.log?.error(error as Error, 'request failed');
      res
        .status(500)
        .json({ kind: 'Status', reason: 'InternalError', message: (error as Error).message });
    },
  );
  // #endregion error-handler
  return app;
}

/**
 * The status of an error raised by `express.json()` (body-parser marks its errors with a `type`
 * such as `entity.parse.failed` and a 4xx `status`), or `undefined` for any other error.
 */
function bodyErrorStatus(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  return status >= 400 && status < 500 ? status : undefined;
}
