// Which CPUs the simultaneous section pins its processes to: both servers of a pair on one CPU,
// the load generators and the OTLP sink on the others, with `taskset` (util-linux). Without
// taskset, or with a single CPU, nothing is pinned and the plan says why, for the results.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The CPUs this process may run on: Linux's Cpus_allowed_list, else every CPU os.cpus() lists. */
export function allowedCpus() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const line = status.split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
    if (line !== undefined) {
      const list = [];
      for (const part of line
        .slice(line.indexOf(':') + 1)
        .trim()
        .split(',')) {
        const [from, to = from] = part.split('-').map(Number);
        for (let c = from; c <= to; c++) list.push(c);
      }
      if (list.length > 0 && list.every(Number.isInteger)) return list;
    }
  } catch {
    // Not Linux: fall through.
  }
  return cpus().map((_, i) => i);
}

function tasksetWorks(cpu) {
  const probe = spawnSync('taskset', ['-c', String(cpu), process.execPath, '-e', ''], {
    stdio: 'ignore',
    timeout: 10_000,
  });
  return probe.error === undefined && probe.status === 0;
}

/**
 * The plan: `forRepeat(r)` gives `{ server, load }` taskset lists (both undefined when nothing is
 * pinned). The servers' CPU alternates between the first and the last allowed CPU from one repeat
 * to the next, so that a CPU that also takes the machine's interrupts favours no side for long.
 */
export function cpuPlan() {
  const list = allowedCpus();
  if (list.length < 2) {
    return {
      pinned: false,
      warning: `only ${list.length} CPU available: servers and load generators are not pinned apart`,
      forRepeat: () => ({ server: undefined, load: undefined }),
    };
  }
  if (!tasksetWorks(list[0])) {
    return {
      pinned: false,
      warning:
        'taskset (util-linux) not found or not permitted: servers and load generators are not pinned, so the two servers of a pair do not share one CPU and the OS may move them',
      forRepeat: () => ({ server: undefined, load: undefined }),
    };
  }
  return {
    pinned: true,
    warning: undefined,
    forRepeat(r) {
      const server = r % 2 === 0 ? list[0] : list[list.length - 1];
      return { server: String(server), load: list.filter((c) => c !== server).join(',') };
    },
  };
}
