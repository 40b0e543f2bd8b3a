/**
 * "Byte-identical" for the safety tests: sha256 of every file in a volume (read through a helper
 * container) and of every file in the install dir, with modes, so a refused command can be shown
 * to have changed nothing.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { docker, dockerOk, toolboxImage, volumeExists } from './harness/index.js';

/** "sha256  ./path" for every file in the volume, sorted; undefined when the volume does not exist. */
export async function volumeChecksums(volume: string): Promise<string | undefined> {
  if (!(await volumeExists(volume))) return undefined;
  return dockerOk([
    'run', '--rm', '--network', 'none', '--label', 'org.openmates.test.helper=true',
    '-v', `${volume}:/volume:ro`, toolboxImage(),
    'sh', '-c', 'cd /volume && find . -type f | sort | while read -r f; do sha256sum "$f"; done',
  ]);
}

/** Checksums of each volume, by name. */
export async function volumesChecksums(volumes: string[]): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const volume of volumes) out[volume] = await volumeChecksums(volume);
  return out;
}

/** "mode sha256" of every file under dir (and "dir" for directories), by relative path. */
export async function dirChecksums(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const mode = ((await stat(path)).mode & 0o7777).toString(8);
    out[relative(dir, path)] = entry.isFile() ? `${mode} ${createHash('sha256').update(await readFile(path)).digest('hex')}` : `${mode} dir`;
  }
  return out;
}

/** When the engine created the volume (changes when it is deleted and made again). */
export async function volumeCreatedAt(volume: string): Promise<string | undefined> {
  const result = await docker(['volume', 'inspect', '--format', '{{.CreatedAt}}', volume]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
