import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ScaffoldFile } from '../types.js';

/** What writing one file would do. */
export type FileAction = 'create' | 'unchanged' | 'overwrite' | 'conflict';

export interface PlannedFile extends ScaffoldFile {
  readonly action: FileAction;
}

async function current(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Compares each file with what is on disk: `create` when absent, `unchanged` when equal, and a
 * changed file is a `conflict` unless `force` makes it an `overwrite`.
 */
export async function planFiles(
  dir: string,
  files: readonly ScaffoldFile[],
  force: boolean,
): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const existing = await current(join(dir, file.path));
    const action: FileAction =
      existing === undefined
        ? 'create'
        : existing === file.content
          ? 'unchanged'
          : force
            ? 'overwrite'
            : 'conflict';
    planned.push({ ...file, action });
  }
  return planned;
}

/** Writes the files that are created or overwritten; never touches unchanged ones. */
export async function writePlanned(dir: string, planned: readonly PlannedFile[]): Promise<void> {
  for (const file of planned) {
    if (file.action !== 'create' && file.action !== 'overwrite') continue;
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
}
