import { setupTracing } from '@datum-telemetry/tracing';
import { propagation, ROOT_CONTEXT } from '@opentelemetry/api';

const h = setupTracing({ service: 'ab', exporter: 'none', env: {} });
const tracer = h.tracer('ab');
const unpatched = Object.getPrototypeOf(tracer).startSpan;
const parent = propagation.extract(ROOT_CONTEXT, {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03',
});
function run(fn, n) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn('s', undefined, parent).end();
  return Number(process.hrtime.bigint() - t) / n;
}
const a = (n, o, c) => tracer.startSpan(n, o, c);
const b = (n, o, c) => unpatched.call(tracer, n, o, c);
for (let i = 0; i < 3; i++) {
  run(a, 50000);
  run(b, 50000);
}
const ra = [],
  rb = [];
for (let r = 0; r < 7; r++) {
  if (r % 2) {
    ra.push(run(a, 200000));
    rb.push(run(b, 200000));
  } else {
    rb.push(run(b, 200000));
    ra.push(run(a, 200000));
  }
}
const med = (x) => x.sort((p, q) => p - q)[3];
console.log(
  `carrying ${med(ra).toFixed(0)} ns, SDK alone ${med(rb).toFixed(0)} ns per span start+end (median of 7), ratio ${(med(ra) / med(rb)).toFixed(3)}`,
);
