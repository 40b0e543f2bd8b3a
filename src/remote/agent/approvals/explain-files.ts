import { basename, dirname, join } from 'node:path';
import { isOpenmatesError } from '../../../core/errors.js';
import type { FileOps } from '../../../core/files/index.js';
import { plural } from '../../../core/plural.js';
import { FILE_UNDO, type Explanation } from './explain-types.js';

/** A delete: what goes (files, folders, bytes, a few names). A recursive delete is never approved for the session. */
export async function explainDelete(files: FileOps, args: { path: string; recursive?: boolean }): Promise<Explanation> {
  const measure = await files.measure(args.path);
  const real = await resolveLast(files, args.path);
  const what = measure.type === 'directory' ? `the folder ${real} with ${plural(measure.files, 'file')} and ${plural(Math.max(0, measure.folders - 1), 'folder')} in it` : real;
  return {
    headline: `Delete ${what} (${measure.bytes} bytes${measure.partial ? ' or more' : ''}).`,
    targets: [real],
    details: { kind: 'delete', path: real, files: measure.files, folders: measure.folders, bytes: measure.bytes, sample: measure.sample },
    undo: FILE_UNDO,
    forSessionAllowed: args.recursive !== true,
    scope: { kind: 'paths', op: 'files.remove', prefixes: [dirname(real)] },
  };
}

/** A move or copy: from where to where, how much, and whether it replaces something. */
export async function explainMoveOrCopy(files: FileOps, kind: 'move' | 'copy', args: { src: string; dst: string; overwrite?: boolean }): Promise<Explanation> {
  const measure = await files.measure(args.src);
  const src = kind === 'move' ? await resolveLast(files, args.src) : await files.resolve(args.src);
  const dstReal = await files.resolve(args.dst);
  const dstInfo = await statOrUndefined(files, args.dst);
  // As cp and mv: an existing folder means "into it".
  const target = dstInfo?.type === 'directory' ? join(dstReal, basename(src)) : dstReal;
  const overwrites = target === dstReal ? dstInfo !== undefined : (await statOrUndefined(files, target)) !== undefined;
  const verb = kind === 'move' ? 'Move' : 'Copy';
  return {
    headline: `${verb} ${src} to ${target} (${measure.bytes} bytes${measure.type === 'directory' ? `, ${plural(measure.files, 'file')}` : ''})${overwrites ? `, replacing what is at ${target}` : ''}.`,
    targets: [src, target],
    details: { kind, src, dst: target, bytes: measure.bytes, overwrites },
    undo: FILE_UNDO,
    forSessionAllowed: true,
    scope: { kind: 'paths', op: kind === 'move' ? 'files.move' : 'files.copy', prefixes: [dirname(src), dirname(target)] },
  };
}

export async function explainMkdir(files: FileOps, args: { path: string; parents?: boolean }): Promise<Explanation> {
  const real = await files.resolve(args.path);
  return {
    headline: `Create the folder ${real}${args.parents ? ' (and its parents)' : ''}.`,
    targets: [real],
    details: { kind: 'mkdir', path: real, parents: args.parents === true },
    undo: FILE_UNDO,
    forSessionAllowed: true,
    scope: { kind: 'paths', op: 'files.mkdir', prefixes: [dirname(real)] },
  };
}

/** The path with its folder resolved but not a last symlink (a delete or move acts on the link itself). */
async function resolveLast(files: FileOps, path: string): Promise<string> {
  const parent = await files.resolve(dirname(path));
  return join(parent, basename(path));
}

/** The file's info, or undefined when nothing is there (the core says "no such file" as a usage error; anything else stands). */
export async function statOrUndefined(files: FileOps, path: string) {
  return files.stat(path).catch((error: unknown) => {
    if (isOpenmatesError(error) && error.kind === 'usage' && /no such file/.test(error.message)) return undefined;
    throw error;
  });
}
