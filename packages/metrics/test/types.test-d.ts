// Type-level tests: `pnpm typecheck` compiles this file. Each `@ts-expect-error` line must be a
// compile error: if a bad name or an undeclared attribute key were accepted, the directive would be
// unused and the typecheck would fail. Nothing here runs.
import type {
  AttributeValue,
  Counter,
  Histogram,
  Meter,
  ObservableGauge,
} from '@opentelemetry/api';
import { createInstruments, defineMetrics } from '../src/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_value?: T): void {}

declare const meter: Meter;

const definition = defineMetrics({
  service: 'compute',
  metrics: {
    vmRequests: {
      name: 'compute.vm.requests.total',
      kind: 'counter',
      attributes: ['method', 'code'],
    },
    vmDuration: { name: 'compute.vm.request.duration.seconds', kind: 'histogram' },
    vmMemory: {
      name: 'compute.vm.memory.bytes',
      kind: 'gauge',
      observable: true,
      attributes: ['vm'],
    },
  },
});
const instruments = definition.create(meter);
instruments.vmRequests.add(1, { method: 'GET', code: 200 });
// @ts-expect-error `path` is not a declared attribute key
instruments.vmRequests.add(1, { method: 'GET', path: '/x' });
// @ts-expect-error a histogram without declared attributes takes none
instruments.vmDuration.record(0.1, { method: 'GET' });
instruments.vmMemory.addCallback((result) => result.observe(1, { vm: 'a' }));
assertType<
  Equal<typeof instruments.vmRequests, Counter<{ method?: AttributeValue; code?: AttributeValue }>>
>();
assertType<Equal<typeof instruments.vmDuration, Histogram<Record<string, never>>>>();
assertType<Equal<typeof instruments.vmMemory, ObservableGauge<{ vm?: AttributeValue }>>>();

defineMetrics({
  service: 'compute',
  metrics: {
    // @ts-expect-error counter names end in .total
    requests: { name: 'compute.vm.requests', kind: 'counter' },
  },
});
defineMetrics({
  service: 'compute',
  metrics: {
    // @ts-expect-error metric names start with the service name
    requests: { name: 'network.vm.requests.total', kind: 'counter' },
  },
});
defineMetrics({
  service: 'compute',
  metrics: {
    // @ts-expect-error only counter names end in .total
    active: { name: 'compute.vm.active.total', kind: 'updowncounter' },
  },
});

const make = createInstruments(meter);
make.counter('compute.vm.requests.total', { attributes: ['method'] }).add(1, { method: 'GET' });
// @ts-expect-error `code` was not declared
make.counter('compute.vm.requests.total', { attributes: ['method'] }).add(1, { code: 200 });
// Without declared attributes any key is accepted.
make.counter('compute.vm.requests.total').add(1, { anything: 'goes' });
// @ts-expect-error counter names end in .total
make.counter('compute.vm.requests');
// @ts-expect-error metric names use only a-z, 0-9, "_" and "."
make.gauge('Compute.vm.active');
// @ts-expect-error only counter names end in .total
make.histogram('compute.vm.latency.total');
// A name that is not a literal is left to the run-time check.
const dynamic: string = 'compute.vm.requests';
make.counter(dynamic);
