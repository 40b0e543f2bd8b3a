import { readdirSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Bounds of the walk for `.env` files in the shared roots (with --full-access the root is `/`). */
const ROOT_WALK = { maxDepth: 6, maxFolders: 2000 };
const SKIPPED = new Set(['.git', 'node_modules']);
/** Skipped directly under `/`: the kernel's pseudo file systems and runtime state. */
const SYSTEM = new Set(['proc', 'sys', 'dev', 'run']);
/** Templates carry placeholders, not secrets. */
const TEMPLATE = /\.(?:example|sample|template|dist)$/;

export function isRootEnvFile(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.env') && !TEMPLATE.test(name);
}

/**
 * The walk, breadth first and bounded (depth, folders visited), without following symlinks:
 * it yields each folder to read and is handed its entries (undefined when it cannot be read),
 * so one walk serves the synchronous first load and the background walks after it.
 */
function* walk(roots: string[], bounds: typeof ROOT_WALK): Generator<string, string[], Dirent[] | undefined> {
  const found: string[] = [];
  let visited = 0;
  let level = [...roots];
  for (let depth = 0; depth <= bounds.maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      if (visited++ >= bounds.maxFolders) return found;
      const entries = yield folder;
      for (const entry of entries ?? []) {
        const path = join(folder, entry.name);
        if (entry.isFile() && isRootEnvFile(path)) found.push(path);
        else if (entry.isDirectory() && !SKIPPED.has(entry.name) && !(folder === '/' && SYSTEM.has(entry.name))) next.push(path);
      }
    }
    level = next;
  }
  return found;
}

/** The `.env*` files under the roots (`.git`, `node_modules` and the kernel's pseudo folders skipped), read synchronously. */
export function findRootEnvFiles(roots: string[], bounds = ROOT_WALK): string[] {
  const walking = walk(roots, bounds);
  for (let step = walking.next(); ; ) {
    if (step.done) return step.value;
    let entries: Dirent[] | undefined;
    try {
      entries = readdirSync(step.value, { withFileTypes: true });
    } catch {
      entries = undefined;
    }
    step = walking.next(entries);
  }
}

/** The same walk without blocking: a walk of `/` (full access) takes hundreds of milliseconds. */
export async function findRootEnvFilesInBackground(roots: string[], bounds = ROOT_WALK): Promise<string[]> {
  const walking = walk(roots, bounds);
  for (let step = walking.next(); ; ) {
    if (step.done) return step.value;
    step = walking.next(await readdir(step.value, { withFileTypes: true }).catch(() => undefined));
  }
}
