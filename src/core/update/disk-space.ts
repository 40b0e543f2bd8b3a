import { stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DiskNeed } from './types.js';

interface Place {
  what: string;
  path: string;
  neededBytes: number;
}

/**
 * Free space where the backup and the new images go. Two places on one file system are counted
 * together; a place that cannot be read (a remote engine's data root) says so instead of guessing.
 */
export async function diskNeeds(places: Place[]): Promise<DiskNeed[]> {
  const measured = await Promise.all(places.map(async (place) => ({ ...place, ...(await measure(place.path)) })));
  const merged: (Place & { device?: number; freeBytes?: number })[] = [];
  for (const place of measured) {
    const same = place.device !== undefined ? merged.find((other) => other.device === place.device) : undefined;
    if (same) {
      same.what = `${same.what} and ${place.what}`;
      same.neededBytes += place.neededBytes;
    } else {
      merged.push({ ...place });
    }
  }
  return merged.map(({ what, path, neededBytes, freeBytes }) => ({
    what,
    path,
    neededBytes,
    ...(freeBytes !== undefined ? { freeBytes, enough: freeBytes >= neededBytes } : {}),
  }));
}

async function measure(path: string): Promise<{ device?: number; freeBytes?: number }> {
  for (let current = path; ; current = dirname(current)) {
    try {
      const [fs, info] = await Promise.all([statfs(current), stat(current)]);
      return { device: info.dev, freeBytes: fs.bavail * fs.bsize };
    } catch {
      if (dirname(current) === current) return {};
    }
  }
}
