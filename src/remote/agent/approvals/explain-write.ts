import { dirname } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { OpenmatesError, isOpenmatesError } from '../../../core/errors.js';
import type { FileOps } from '../../../core/files/index.js';
import { FILE_UNDO, type Explanation } from './explain-types.js';
import type { BufferedUpload } from './upload-buffer.js';
import { statOrUndefined } from './explain-files.js';

/** A diff is made only of files up to this size (both sides); bigger ones show sizes. */
const DIFF_INPUT_MAX_BYTES = 1024 * 1024;
export const DIFF_MAX_LINES = 400;
const DIFF_MAX_BYTES = 64 * 1024;

/**
 * A write: the current file (as the core reads it) against the upload as sent, as a bounded
 * unified diff, or sizes for binary and large files. A caller's own expectedVersion that no
 * longer matches is a conflict before anyone is asked.
 */
export async function explainWrite(files: FileOps, args: { path: string; expectedVersion?: string | null }, upload: BufferedUpload): Promise<Explanation> {
  const real = await files.resolve(args.path);
  const current = await statOrUndefined(files, args.path);
  if (current && current.type === 'directory') throw new OpenmatesError('usage', `Cannot write ${JSON.stringify(args.path)}: it is a folder.`, 'Write to a file inside it.');
  if (args.expectedVersion === null && current) throw new OpenmatesError('conflict', `Did not write ${JSON.stringify(args.path)}: it already exists, and the write expected a new file.`, 'Read it first and write with its version, or choose another name.');
  if (typeof args.expectedVersion === 'string' && (!current || current.version !== args.expectedVersion)) {
    throw new OpenmatesError('conflict', `Did not write ${JSON.stringify(args.path)}: it changed since it was read (version ${args.expectedVersion}, now ${current?.version ?? 'deleted'}).`, 'Read it again, merge your change, and write with the new version.');
  }
  let before: Uint8Array | undefined;
  let baseVersion = current?.version ?? null;
  let unreadable = false;
  if (current && current.size <= DIFF_INPUT_MAX_BYTES && upload.size <= DIFF_INPUT_MAX_BYTES) {
    try {
      const read = await files.read(args.path, { maxBytes: DIFF_INPUT_MAX_BYTES });
      before = await collect(read.chunks);
      baseVersion = read.version;
    } catch (error) {
      if (!isOpenmatesError(error) || error.kind !== 'refused') throw error;
      unreadable = true; // a secret file: sizes only, its content is not shown
    }
  }
  const after = upload.size <= DIFF_INPUT_MAX_BYTES ? upload.head : undefined;
  const binary = (before !== undefined && !isText(before)) || !isText(after ?? upload.head.subarray(0, 8192), after === undefined);
  // No diff for binary files, files too large to diff, or a secret file the core will not read.
  const diffable = !binary && !unreadable && after !== undefined && (current === undefined || before !== undefined);
  const diff = diffable ? boundedDiff(real, before === undefined ? '' : decode(before), decode(after)) : undefined;
  const size = (bytes: number) => `${bytes} byte${bytes === 1 ? '' : 's'}`;
  return {
    headline: current ? `Overwrite ${real} (${size(current.size)} now, ${size(upload.size)} after).` : `Create ${real} (${size(upload.size)}).`,
    targets: [real],
    details: {
      kind: 'write',
      path: real,
      before: current ? { size: current.size, version: baseVersion! } : null,
      after: { size: upload.size },
      binary,
      ...(diff ? { diff: diff.text, diffTruncated: diff.truncated } : {}),
    },
    undo: FILE_UNDO,
    forSessionAllowed: true,
    scope: { kind: 'paths', op: 'files.write', prefixes: [dirname(real)] },
    baseVersion,
  };
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Text: valid UTF-8 without NUL bytes. */
function isText(bytes: Uint8Array, cut = false): boolean {
  if (bytes.includes(0)) return false;
  try {
    // A sample cut at an arbitrary byte may end inside a character: stream mode leaves that one out.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
    return true;
  } catch {
    return false;
  }
}

function decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The unified diff, cut after DIFF_MAX_LINES lines or DIFF_MAX_BYTES bytes, whichever comes first. */
function boundedDiff(path: string, before: string, after: string): { text: string; truncated: boolean } {
  const patch = createTwoFilesPatch(path, path, before, after, 'now', 'after', { context: 3 });
  // jsdiff starts with "Index: PATH" and a line of "=": the ---/+++ lines below name the file already.
  const lines = patch.split('\n');
  if (lines[0]?.startsWith('Index: ')) lines.splice(0, 2);
  if (lines.at(-1) === '') lines.pop();
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    bytes += Buffer.byteLength(line) + 1;
    if (kept.length >= DIFF_MAX_LINES || bytes > DIFF_MAX_BYTES) return { text: `${kept.join('\n')}\n`, truncated: true };
    kept.push(line);
  }
  return { text: `${kept.join('\n')}\n`, truncated: false };
}
