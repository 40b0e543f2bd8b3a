/** File operations inside shared roots: the scope, secret files, atomic writes. See types.ts for the shapes. */
import { stat } from 'node:fs/promises';
import { OpenmatesError } from '../errors.js';
import { copyPath, makeFolder, movePath, removePath } from './change-files.js';
import { listFolder, statFile } from './entries.js';
import { measurePath } from './measure.js';
import { fileError } from './file-errors.js';
import { readFileChunks } from './read-file.js';
import { resolveInScope, resolveScope, type ResolvedScope } from './scope.js';
import { DEFAULT_SEARCH_BOUNDS, DEFAULT_SEARCH_LIMIT, searchFiles } from './search-files.js';
import type { FileOps, FileScope } from './types.js';
import type { UndoJournal } from './undo-journal.js';
import { writeFileAtomic } from './write-file.js';

export type * from './types.js';
export { DEFAULT_MAX_READ_BYTES, READ_CHUNK_BYTES } from './read-file.js';
export { maskEnvText } from './env-mask.js';
export { sensitivityOfPath } from './sensitive.js';
export { openUndoJournal, type UndoJournal, type UndoEntry, type UndoResult, type UndoActor, type UndoBounds } from './undo-journal.js';

/** With a journal, every change (write, mkdir, copy, move, remove) is recorded there and can be undone. */
export function createFileOps(scope: FileScope, options: { journal?: UndoJournal } = {}): FileOps {
  const { journal } = options;
  let resolved: Promise<ResolvedScope> | undefined;
  const realScope = () => (resolved ??= resolveScope(scope).catch((error: unknown) => {
    resolved = undefined;
    throw error;
  }));
  const resolve = async (path: string, followLast = true) => resolveInScope(await realScope(), path, { followLast });
  const resolveTree = async (path: string, followLast = true) => resolveInScope(await realScope(), path, { followLast, subtree: true });

  return {
    resolve: (path) => resolve(path),
    async list(path, page) {
      return listFolder(await resolve(path), path, page);
    },
    async stat(path) {
      return statFile(await resolve(path), path);
    },
    async read(path, options) {
      return readFileChunks(await resolve(path), path, options);
    },
    async write(path, data, options) {
      return writeFileAtomic(await resolve(path), path, data, { ...options, journal });
    },
    async mkdir(path, options) {
      return makeFolder(await resolve(path), path, options?.parents ?? false, { journal, actor: options?.actor });
    },
    async copy(src, dst, options) {
      return copyPath(await resolveTree(src), src, await resolve(dst), dst, options?.overwrite ?? false, { journal, actor: options?.actor });
    },
    async move(src, dst, options) {
      const { roots } = await realScope();
      return movePath(await resolveTree(src, false), src, await resolve(dst), dst, options?.overwrite ?? false, roots, { journal, actor: options?.actor });
    },
    async remove(path, options) {
      const { roots } = await realScope();
      return removePath(await resolveTree(path, false), path, options?.recursive ?? false, roots, { journal, actor: options?.actor });
    },
    async search(text, options) {
      const folder = await resolve(options?.in ?? '.');
      const info = await stat(folder).catch((error: unknown) => {
        throw fileError(error, 'search', options?.in ?? '.');
      });
      if (!info.isDirectory()) throw new OpenmatesError('usage', `Cannot search in ${JSON.stringify(options?.in)}: it is not a folder.`, 'Pass a folder to search in.');
      return searchFiles(folder, text, { ...DEFAULT_SEARCH_BOUNDS, limit: options?.limit ?? DEFAULT_SEARCH_LIMIT, skip: (await realScope()).protected }, options?.signal);
    },
    async measure(path) {
      return measurePath(await resolve(path, false), path);
    },
  };
}
