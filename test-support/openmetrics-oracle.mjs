// The OpenMetrics oracle, for the tests of every package (one copy; types in the .d.mts beside it):
// Debian's `python3-prometheus-client`, whose strict parser
// (`prometheus_client.openmetrics.parser.text_string_to_metric_families`) rejects what the format
// forbids: a missing `# EOF`, exemplars off `_bucket`/`_total` lines or over 128 characters, NaN
// counters, `_count` without `_sum`, unescaped label values, clashing names. It is installed here
// when missing, the way CI installs it (scripts/install-system-deps.sh); only a machine without apt
// skips the tests that need it, and says so (outside CI: with CI=true it fails).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
// Debian's interpreter, where the Debian package installs the module (a pyenv shim may come first).
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const PACKAGE = 'python3-prometheus-client';

const PARSE = `
import json, math, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families

def number(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return 'NaN'
    if isinstance(v, float) and math.isinf(v):
        return '+Inf' if v > 0 else '-Inf'
    return v

def timestamp(t):
    if t is None:
        return None
    if hasattr(t, 'sec'):
        return t.sec + t.nsec / 1e9
    return t

try:
    families = []
    for f in text_string_to_metric_families(sys.stdin.read()):
        samples = []
        for s in f.samples:
            e = s.exemplar
            samples.append({
                'name': s.name,
                'labels': s.labels,
                'value': number(s.value),
                'exemplar': None if e is None else {
                    'labels': e.labels, 'value': number(e.value), 'timestamp': timestamp(e.timestamp),
                },
            })
        families.append({'name': f.name, 'type': f.type, 'unit': f.unit,
                         'help': f.documentation, 'samples': samples})
    print(json.dumps({'families': families}))
except Exception as error:
    print(json.dumps({'error': '%s: %s' % (type(error).__name__, error)}))
`;

function hasModule() {
  return (
    spawnSync(python, ['-c', 'import prometheus_client.openmetrics.parser'], { stdio: 'ignore' })
      .status === 0
  );
}

function hasApt() {
  return spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
}

/**
 * Makes the parser available: already there, or installed with apt. Returns why it cannot be when
 * apt itself is missing; throws when apt is there but the install fails (that is a real failure).
 */
export function ensureOpenMetricsParser() {
  if (hasModule()) return { available: true };
  if (!hasApt()) {
    // In CI (`.ci/run` sets CI=true) the oracle is part of what is checked: never a silent skip.
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error(`${PACKAGE} is not installed and there is no apt-get to install it (CI)`);
    }
    return {
      available: false,
      reason: `${PACKAGE} is not installed and there is no apt-get to install it; the OpenMetrics parser checks are skipped`,
    };
  }
  // Test files run in parallel: under flock, a second installer waits and then finds it installed.
  const install = ['bash', `${root}scripts/install-system-deps.sh`, PACKAGE];
  const flock = spawnSync('sh', ['-c', 'command -v flock']).status === 0;
  const [command, ...args] = flock
    ? ['flock', join(tmpdir(), 'datum-telemetry-apt.lock'), ...install]
    : install;
  execFileSync(command, args, { stdio: 'inherit', timeout: 300_000 });
  if (!hasModule()) throw new Error(`${PACKAGE} was installed but ${python} cannot import it`);
  return { available: true };
}

/** Parses with the strict parser: the families, or an error naming what is invalid. */
export function parseOpenMetrics(text) {
  const run = spawnSync(python, ['-c', PARSE], { input: text, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the OpenMetrics parser did not run: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Parses with the strict parser and throws with the exposition when it is not valid. */
export function validOpenMetrics(text) {
  const parsed = parseOpenMetrics(text);
  if (parsed.error !== undefined) {
    throw new Error(`not valid OpenMetrics: ${parsed.error}\n--- exposition ---\n${text}`);
  }
  return new Map(parsed.families.map((family) => [family.name, family]));
}
