import { chmod, mkdir } from 'node:fs/promises';

/** A folder only its owner can enter (0700), also when it existed before with another mode. */
export async function ensurePrivateFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}
