import { open, readFile, rename } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { OpenmatesError, messageOf } from '../errors.js';
import { composeFileOf, type InstallLayout } from '../install-dir.js';
import { EnvFile, readEnvFile, writeSecretFile } from '../install/env-file.js';
import type { Stack } from '../stack/schema.js';

/**
 * Points the install at `tag`: .env's tag variable (what Compose reads), the stack copy's `tag`
 * (what a later repair installs), and the compose file when the release brings its own. Each file
 * is replaced atomically; running it twice changes nothing the second time.
 */
export async function switchVersion(layout: InstallLayout, stack: Stack, tag: string, composeSource?: string): Promise<void> {
  try {
    const env = (await readEnvFile(layout.envFile)) ?? EnvFile.empty();
    if (env.get(stack.tagVariable) !== tag) {
      env.set(stack.tagVariable, tag);
      await writeSecretFile(layout.envFile, env.toString());
    }
    const stackSource = await readFile(layout.stackCopy, 'utf8');
    const document = parseDocument(stackSource);
    if (document.get('tag') !== tag) {
      document.set('tag', tag);
      await replaceFile(layout.stackCopy, document.toString());
    }
    if (composeSource !== undefined) {
      const composeFile = composeFileOf(layout, stack);
      const current = await readFile(composeFile, 'utf8').catch(() => undefined);
      if (current !== composeSource) await replaceFile(composeFile, composeSource);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OpenmatesError(
      'operation-failed',
      `Could not switch ${layout.root} to ${tag}: ${messageOf(error)}.`,
      code === 'ENOSPC' ? 'The disk is full: free some space.' : code === 'EACCES' ? 'Run as the user who installed it.' : undefined,
    );
  }
}

async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
