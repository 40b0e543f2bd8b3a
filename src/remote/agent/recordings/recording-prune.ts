import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingBounds } from './recordings.js';
import { castNames } from './recording-list.js';
import { CAST_EXTENSION } from './recording-name.js';

/**
 * Removes recordings that ended more than maxAgeDays ago (by the file's last write), then the
 * oldest while all of them together take more than maxBytes. `active` ones (being written) stay.
 */
export async function pruneRecordings(dir: string, bounds: RecordingBounds, active: ReadonlySet<string>, now = Date.now()): Promise<{ removed: number }> {
  // Names start with the ISO start time: sorted, the oldest come first.
  const names = (await castNames(dir)).sort();
  const files = (
    await Promise.all(
      names.map(async (name) => {
        const path = join(dir, `${name}${CAST_EXTENSION}`);
        const facts = await stat(path).catch(() => undefined);
        return facts ? { name, path, bytes: facts.size, writtenAt: facts.mtimeMs } : undefined;
      }),
    )
  ).filter((file) => file !== undefined);
  const oldestKept = now - bounds.maxAgeDays * 86_400_000;
  let total = files.reduce((sum, file) => sum + file.bytes, 0);
  let removed = 0;
  for (const file of files) {
    if (active.has(file.name)) continue;
    if (total <= bounds.maxBytes && file.writtenAt >= oldestKept) continue;
    await rm(file.path, { force: true });
    total -= file.bytes;
    removed++;
  }
  return { removed };
}
