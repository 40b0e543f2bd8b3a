/** Turns file-system failures into OpenmatesErrors that name the path and the cause. */
import { OpenmatesError, messageOf } from '../errors.js';

export function refused(path: string, cause: string, hint?: string): OpenmatesError {
  return new OpenmatesError('refused', `Refused ${JSON.stringify(path)}: ${cause}.`, hint);
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = codeOf(error);
  return code !== undefined && codes.includes(code);
}

/** `doing` is a verb phrase: "read", "list", "write". */
export function fileError(error: unknown, doing: string, path: string): OpenmatesError {
  if (error instanceof OpenmatesError) return error;
  const where = JSON.stringify(path);
  switch (codeOf(error)) {
    case 'ENOENT':
      return new OpenmatesError('usage', `Cannot ${doing} ${where}: there is no such file or folder.`, 'Check the path (list its folder to see what is there).');
    case 'ENOTDIR':
      return new OpenmatesError('usage', `Cannot ${doing} ${where}: a part of the path is a file, not a folder.`, 'Check the path.');
    case 'EISDIR':
      return new OpenmatesError('usage', `Cannot ${doing} ${where}: it is a folder.`, 'List a folder instead of reading or writing it.');
    case 'EEXIST':
    case 'ENOTEMPTY':
      return new OpenmatesError('conflict', `Cannot ${doing} ${where}: it already exists.`, 'Choose another name, or pass overwrite to replace it.');
    case 'EACCES':
    case 'EPERM':
      return new OpenmatesError('operation-failed', `Cannot ${doing} ${where}: permission denied.`, 'The agent runs as a user who may not do this; change the file\'s permissions or run the agent as its owner.');
    case 'ENOSPC':
      return new OpenmatesError('operation-failed', `Cannot ${doing} ${where}: the disk is full.`, 'Free some space and try again.');
    case 'ELOOP':
      return new OpenmatesError('usage', `Cannot ${doing} ${where}: too many levels of symbolic links.`, 'Check the symlinks on the path.');
    case 'EXDEV':
      return new OpenmatesError('operation-failed', `Cannot ${doing} ${where}: source and target are on different devices.`);
    default:
      return new OpenmatesError('operation-failed', `Cannot ${doing} ${where}: ${messageOf(error)}.`);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, path: string): void {
  if (signal?.aborted) throw new OpenmatesError('interrupted', `Cancelled while working on ${JSON.stringify(path)}.`);
}
