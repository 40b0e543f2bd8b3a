import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { OpenmatesError } from '../errors.js';
import { VOLUME_MOUNT } from './manifest.js';

/** Entries start with "volume/", as in the engine's archive of the helper's mount point. */
const ROOT = VOLUME_MOUNT.slice(1);

/**
 * Options shared by reading and writing: numeric ids (the containers' users, not this host's
 * names), extended attributes (file capabilities), pax headers without access and change times.
 */
const FORMAT = ['--format=posix', '--pax-option=delete=atime,delete=ctime', '--numeric-owner', '--xattrs'];

let version: Promise<string | undefined> | undefined;

/** GNU tar's version line, or undefined when `tar` is missing or another tar (busybox, bsdtar). */
export function hostTarVersion(): Promise<string | undefined> {
  return (version ??= new Promise((resolve) => {
    const child = spawn('tar', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      const first = out.split('\n')[0] ?? '';
      resolve(code === 0 && first.includes('GNU tar') ? first : undefined);
    });
  }));
}

/**
 * Writes a tar of `directory`'s content, in the engine archive's layout, to `fd` with GNU tar.
 * Its exit 1 ("file changed as we read it": something outside the stack wrote) is a warning;
 * worse is an error.
 */
export async function tarDirectoryInto(directory: string, fd: number, onWarning: (message: string) => void, signal?: AbortSignal): Promise<void> {
  const child = spawn('tar', ['--create', '--file=-', `--directory=${directory}`, ...FORMAT, `--transform=s,^\\.,${ROOT},S`, '.'], { stdio: ['ignore', fd, 'pipe'], ...(signal ? { signal } : {}) });
  const stderr = collect(child.stderr!);
  child.on('error', () => {});
  const [code] = (await once(child, 'close')) as [number | null];
  if (code === 1) onWarning(`Some files in ${directory} changed while they were copied: ${stderr().trim() || 'tar says so'}`);
  else if (code !== 0) throw tarFailure('read', directory, code, stderr(), signal);
}

/**
 * Extracts one entry of a backup archive, a tar in the engine's layout, into `directory`: the
 * entries under "volume/" only, as the engine would, with owners, modes and the directory's own
 * included. One GNU tar takes the entry out of the backup and pipes it to another; no byte passes
 * through this process (that pipe ran at a third of tar's speed).
 */
export async function extractIntoDirectory(directory: string, backup: { file: string; entry: string }, signal?: AbortSignal): Promise<void> {
  const options = signal ? { signal } : {};
  const source = spawn('tar', ['--extract', '--to-stdout', `--file=${backup.file}`, backup.entry], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const target = spawn(
    'tar',
    ['--extract', '--file=-', `--directory=${directory}`, ...FORMAT, '--same-owner', '--same-permissions', `--transform=s,^${ROOT}\\(/\\|$\\),./,S`, ROOT],
    { stdio: [source.stdout, 'ignore', 'pipe'], ...options },
  );
  // The target holds its own copy of the pipe; ours would keep the source from ever closing.
  source.stdout.destroy();
  const errors = [collect(source.stderr), collect(target.stderr)];
  for (const child of [source, target]) child.on('error', () => {});
  const [[sourceCode], [targetCode]] = (await Promise.all([once(source, 'close'), once(target, 'close')])) as [[number | null], [number | null]];
  if (targetCode !== 0) throw tarFailure('write', directory, targetCode, errors[1]!(), signal);
  if (sourceCode !== 0) throw tarFailure('write', directory, sourceCode, errors[0]!(), signal);
}

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    if (text.length < 4000) text += chunk.toString();
  });
  return () => text;
}

function tarFailure(action: 'read' | 'write', directory: string, code: number | null, stderr: string, signal?: AbortSignal): OpenmatesError {
  if (signal?.aborted) return new OpenmatesError('interrupted', `Stopped while the volume's files were ${action === 'read' ? 'read' : 'written'}.`);
  const why = stderr.trim().split('\n').slice(-3).join('; ') || `tar exited with ${code ?? 'a signal'}`;
  return new OpenmatesError('operation-failed', `Could not ${action} the volume's files in ${directory}: ${why}.`, action === 'write' && /No space/i.test(stderr) ? 'The disk is full: free some space and restore again.' : 'Check the disk and the directory, then try again.');
}
