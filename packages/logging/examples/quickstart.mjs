import { setupLogging } from '@datum-telemetry/logging';

// Lines go to stdout by default. This example also keeps them, so that it can check itself:
// in a service, leave `stream` out.
const written = [];
const stream = {
  write(line) {
    written.push(JSON.parse(line));
    process.stdout.write(line);
  },
};

// OTLP export turns on with OTEL_EXPORTER_OTLP_ENDPOINT (or `exporter: 'otlp'`); here it is off.
const { logger, shutdown } = setupLogging({ service: 'compute', stream });

const vm = {
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm-1', namespace: 'default' },
};

// The seed's shape: a message, then keys and values.
logger.info('resource created', 'name', vm.metadata.name, 'namespace', vm.metadata.namespace);

// A child logger with the operation and the resource's fields on every line.
const log = logger.child({ operation: 'create' }).withResource(vm);
log.info({ headers: { authorization: 'Bearer abc' } }, 'calling network-api');
log.error(new Error('quota exceeded'), 'failed to create resource');

await shutdown();

// Check what was written.
const [created, calling, failed] = written;
const check = (ok, what) => {
  if (!ok) throw new Error(`quickstart: ${what}\n${JSON.stringify(written, null, 2)}`);
};
check(written.length === 3, 'three lines were written');
check(created['resource.name'] === 'vm-1', '`name` is written as resource.name');
check(created['resource.namespace'] === 'default', '`namespace` is written as resource.namespace');
check(created.severity_text === 'INFO' && created.severity_number === 9, 'info is severity 9');
check(calling.operation === 'create' && calling['resource.kind'] === 'VirtualMachine', 'child');
check(calling.headers.authorization === '[REDACTED]', 'the authorization header is redacted');
check(failed.error.message === 'quota exceeded' && failed.error.stack.includes('Error'), 'error');
check(failed.severity_number === 17, 'error is severity 17');
console.log('quickstart ok');
