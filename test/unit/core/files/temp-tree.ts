import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';

/** A fresh real temp folder per test, removed afterwards. */
export function useTempFolders(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((path) => rm(path, { recursive: true, force: true })));
  });
  return async () => {
    const path = await mkdtemp(join(tmpdir(), 'openmates-files-'));
    made.push(path);
    return path;
  };
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** The OpenmatesError a promise rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<OpenmatesError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenmatesError) return error;
    throw error;
  }
  throw new Error('expected the operation to fail, and it succeeded');
}
