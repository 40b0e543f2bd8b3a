/**
 * Where a path really points, and whether that is inside the shared roots. Every path is resolved
 * with symlinks followed (for a path that does not exist yet: its nearest existing parent, and a
 * dangling symlink on the way is followed too), so a symlink cannot lead out of a root. `..` is
 * collapsed before anything is looked up, and the operations then act on the resolved path only.
 */
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { OpenmatesError } from '../errors.js';
import { fileError, hasCode, refused } from './file-errors.js';
import { escapedName, isUtf8Name } from './names.js';
import type { FileScope } from './types.js';

const MAX_SYMLINK_HOPS = 40;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface ResolvedScope {
  /** Real paths of the roots. */
  roots: string[];
  fullAccess: boolean;
  /** Relative paths start here: the first root. */
  base: string;
  /** Real paths of FileScope.protected. */
  protected: string[];
}

export async function resolveScope(scope: FileScope): Promise<ResolvedScope> {
  const guarded = await Promise.all((scope.protected ?? []).map((path) => realResolve(resolve(path)).catch(() => resolve(path))));
  if (scope.fullAccess) return { roots: ['/'], fullAccess: true, base: scope.roots[0] ? await realpath(scope.roots[0]).catch(() => '/') : '/', protected: guarded };
  if (scope.roots.length === 0) throw new OpenmatesError('usage', 'No folder is shared: the file scope has no roots.', 'Share a folder (--root DIR) or the whole machine (--full-access).');
  const roots: string[] = [];
  for (const root of scope.roots) {
    if (!isAbsolute(root)) throw new OpenmatesError('usage', `The shared folder ${JSON.stringify(root)} is not an absolute path.`);
    try {
      roots.push(await realpath(root));
    } catch (error) {
      throw fileError(error, 'share', root);
    }
  }
  return { roots, fullAccess: false, base: roots[0]!, protected: guarded };
}

export function isInside(path: string, root: string): boolean {
  return root === '/' || path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

export function rootContaining(scope: ResolvedScope, path: string): string | undefined {
  return scope.roots.find((root) => isInside(path, root));
}

/** Refuses what cannot name a file unambiguously: a NUL byte, lone surrogates, U+FFFD. */
function checkText(input: string): void {
  if (typeof input !== 'string' || input.length === 0) throw new OpenmatesError('usage', 'The path is empty.', 'Pass a path, relative to the shared folder or absolute.');
  if (input.includes('\0')) throw refused(input.replaceAll('\0', '\\0'), 'the path contains a NUL byte', 'A file name cannot contain NUL; check what built this path.');
  if (LONE_SURROGATE.test(input) || input.includes('\uFFFD')) {
    throw refused(input, 'the path is not valid UTF-8 text (it contains a replacement character or a lone surrogate), so it cannot name one file for certain', 'Rename the file on the server to a UTF-8 name (e.g. with exec and a shell glob), then use that name.');
  }
}

/** The real path of `absolute`, which may not exist yet; dangling symlinks are followed. */
async function realResolve(absolute: string, hops = 0): Promise<string> {
  if (hops > MAX_SYMLINK_HOPS) throw Object.assign(new Error('too many symlinks'), { code: 'ELOOP' });
  try {
    return await realpath(absolute);
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw error;
  }
  const parent = dirname(absolute);
  if (parent === absolute) return absolute;
  const realParent = await realResolve(parent, hops);
  const candidate = join(realParent, basename(absolute));
  try {
    const info = await lstat(candidate);
    if (info.isSymbolicLink()) return realResolve(resolve(realParent, await readlink(candidate)), hops + 1);
    return candidate;
  } catch (error) {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return candidate;
    throw error;
  }
}

/** A name in `dir` that is not UTF-8 and that `name` is the escaped rendering of. */
async function namesUnaddressable(dir: string, name: string): Promise<boolean> {
  if (!name.includes('\\x')) return false;
  const names = await readdir(dir, { encoding: 'buffer' }).catch(() => [] as Buffer[]);
  return names.some((raw) => !isUtf8Name(raw) && escapedName(raw) === name);
}

export interface ResolveOptions {
  /** false: the last part is taken as it is (a symlink itself, not what it points at): for remove and move. */
  followLast?: boolean;
  /** The operation takes the whole tree under the path (remove, move, copy): a protected folder inside it is refused too. */
  subtree?: boolean;
}

export async function resolveInScope(scope: ResolvedScope, input: string, options: ResolveOptions = {}): Promise<string> {
  checkText(input);
  const absolute = resolve(scope.base, input);
  let real: string;
  try {
    if (options.followLast === false && dirname(absolute) !== absolute) real = join(await realResolve(dirname(absolute)), basename(absolute));
    else real = await realResolve(absolute);
  } catch (error) {
    throw fileError(error, 'resolve', input);
  }
  if (!rootContaining(scope, real)) {
    const where = real === absolute ? 'it is outside the shared folders' : `it leads to ${JSON.stringify(real)}, outside the shared folders`;
    throw refused(input, where, `Shared: ${scope.roots.join(', ')}. Start remote access with --root for another folder.`);
  }
  const guarded = scope.protected.find((path) => isInside(real, path) || (options.subtree === true && isInside(path, real)));
  if (guarded) {
    throw refused(input, isInside(real, guarded) ? "it is openmates' own state (keys, devices, audit log, undo journal or settings), which no remote request may touch" : `it holds openmates' own state (${guarded}), which no remote request may touch`, 'Change these on the server itself with `openmates remote-access …` or `openmates config`.');
  }
  if (await namesUnaddressable(dirname(real), basename(real))) {
    throw refused(input, 'it is the escaped rendering of a name that is not UTF-8, not the name itself', 'Rename the file on the server to a UTF-8 name (e.g. with exec and a shell glob), then use that name.');
  }
  return real;
}
