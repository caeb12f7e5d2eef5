import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogFile, createLogger } from '@datum-telemetry/logging';

// In a service this is a fixed path, such as /var/log/compute/compute.log.
const path = join(mkdtempSync(join(tmpdir(), 'compute-')), 'compute.log');

const file = createLogFile(path);
const logger = createLogger({ service: 'compute', stream: file });

// After a log rotator has moved the file: carry on in a new file at the same path.
process.on('SIGHUP', () => file.reopen());

logger.info('resource created', 'name', 'vm-1', 'namespace', 'default');
logger.warn('quota low', 'name', 'vm-1');

// Lines wait for the end of this turn of the event loop (or for 16 KiB of them); flush() writes
// them now. Whatever waits is also written when the process exits, even on a crash.
file.flush();

const lines = readFileSync(path, 'utf8')
  .trimEnd()
  .split('\n')
  .map((line) => JSON.parse(line));
if (lines.length !== 2 || lines[0]['resource.name'] !== 'vm-1' || lines[1].level !== 40) {
  throw new Error(`log-file example: unexpected lines ${JSON.stringify(lines)}`);
}
console.log('log file ok');
