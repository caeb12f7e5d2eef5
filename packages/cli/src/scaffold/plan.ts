import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.js';
import type { ScaffoldFile } from '../types.js';
import { isAsWritten } from './stamp.js';

/** What writing one file would do. */
/**
 * What writing one file would do: `create` it, leave it `unchanged` (the same bytes), `update` a
 * file still as scaffold wrote it, `overwrite` a changed one (`--force`), refuse to (`conflict`),
 * or leave a project's own starter file as it is (`keep`).
 */
export type FileAction = 'create' | 'unchanged' | 'update' | 'overwrite' | 'conflict' | 'keep';

export interface PlannedFile extends ScaffoldFile {
  readonly action: FileAction;
}

async function current(dir: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // A directory where a file goes (EISDIR), a file where a directory goes (ENOTDIR)...
    throw new CliError(
      `cannot read ${file} in ${dir} (${code ?? (error as Error).message}); nothing was written`,
    );
  }
}

/**
 * Compares each file with what is on disk: `create` when absent, `unchanged` when equal; a file
 * still as scaffold wrote it (its stamp matches, or it is byte for byte what scaffold writes with
 * other options: `alsoWritten`, by path, for files that cannot carry a stamp such as package.json)
 * is an `update`; a starter file that differs is the project's own (`keep`), and a telemetry module
 * changed since it was written is a `conflict` unless `force` makes it an `overwrite`.
 */
export async function planFiles(
  dir: string,
  files: readonly ScaffoldFile[],
  force: boolean,
  alsoWritten: ReadonlyMap<string, string> = new Map(),
): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const existing = await current(dir, file.path);
    let action: FileAction;
    if (existing === undefined) action = 'create';
    else if (existing === file.content) action = 'unchanged';
    else if (isAsWritten(existing) || alsoWritten.get(file.path) === existing) action = 'update';
    else if (file.starter === true) action = 'keep';
    else action = force ? 'overwrite' : 'conflict';
    planned.push({ ...file, action });
  }
  return planned;
}

/** Writes the files that are created, updated or overwritten; never touches the others. */
export async function writePlanned(dir: string, planned: readonly PlannedFile[]): Promise<void> {
  for (const file of planned) {
    if (file.action !== 'create' && file.action !== 'update' && file.action !== 'overwrite') {
      continue;
    }
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
}
