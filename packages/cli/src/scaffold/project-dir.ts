import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Refuses a `--dir` that cannot hold the project, before anything is read or written: a file, or
 * a path under a file. A directory that does not exist yet is fine: scaffold creates it.
 */
export async function checkProjectDir(dir: string, given: string): Promise<void> {
  let path = dir;
  for (;;) {
    try {
      if ((await stat(path)).isDirectory()) return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new UsageError(
          `--dir ${given}: cannot use ${path} (${code ?? (error as Error).message})`,
        );
      }
      const parent = dirname(path);
      if (parent === path) return;
      path = parent;
      continue;
    }
    throw new UsageError(
      path === dir
        ? `--dir ${given}: ${dir} is a file, not a directory; pass the project's directory (it is created when it does not exist)`
        : `--dir ${given}: ${path} is a file, so no directory can be created under it; pass the project's directory`,
    );
  }
}
