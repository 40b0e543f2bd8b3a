import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Bounds of the walk for `.env` files in the shared roots (with --full-access the root is `/`). */
export const ROOT_WALK = { maxDepth: 6, maxFolders: 2000 };
const SKIPPED = new Set(['.git', 'node_modules']);
/** Skipped directly under `/`: the kernel's pseudo file systems and runtime state. */
const SYSTEM = new Set(['proc', 'sys', 'dev', 'run']);
/** Templates carry placeholders, not secrets. */
const TEMPLATE = /\.(?:example|sample|template|dist)$/;

/**
 * The `.env*` files under the roots, breadth first and bounded (depth, folders visited), without
 * following symlinks; `.git`, `node_modules` and the kernel's pseudo folders are skipped.
 */
export function findRootEnvFiles(roots: string[], bounds = ROOT_WALK): string[] {
  const found: string[] = [];
  let visited = 0;
  let level = roots.map((root) => root);
  for (let depth = 0; depth <= bounds.maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      if (visited++ >= bounds.maxFolders) return found;
      let entries;
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isFile() && entry.name.startsWith('.env') && !TEMPLATE.test(entry.name)) found.push(join(folder, entry.name));
        else if (entry.isDirectory() && !SKIPPED.has(entry.name) && !(folder === '/' && SYSTEM.has(entry.name))) next.push(join(folder, entry.name));
      }
    }
    level = next;
  }
  return found;
}
