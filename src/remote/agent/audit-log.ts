import { constants } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { GENESIS_HASH, lineHash, type AuditEntry, type AuditRecord } from './audit-record.js';
import { STATE_FILES, ensurePrivateDir } from './state-dir.js';

/** The head file: how many records were written and the hash of the last, so a cut-off tail is detected. */
export interface AuditHead {
  count: number;
  last: string;
}

function isAuditHead(value: unknown): value is AuditHead {
  const head = value as Partial<AuditHead> | null;
  return typeof head === 'object' && head !== null && Number.isSafeInteger(head.count) && head.count! >= 0 && typeof head.last === 'string';
}

export interface AuditLog {
  readonly path: string;
  append(entry: AuditEntry): Promise<AuditRecord>;
  close(): Promise<void>;
}

export function auditPaths(stateDir: string): { log: string; head: string } {
  return { log: join(stateDir, STATE_FILES.audit), head: join(stateDir, STATE_FILES.auditHead) };
}

/**
 * The hash-chained audit log (audit.jsonl, 0600). Appends are queued so records keep their
 * order; each carries the sha256 of the line before, and the head file the count and last hash.
 */
export async function openAuditLog(stateDir: string): Promise<AuditLog> {
  await ensurePrivateDir(stateDir);
  const paths = auditPaths(stateDir);
  let head = await readHead(paths.head) ?? (await headFromLog(paths.log));
  const handle: FileHandle = await open(paths.log, 'a', 0o600);
  const headHandle: FileHandle = await open(paths.head, constants.O_RDWR | constants.O_CREAT, 0o600);
  let queue = Promise.resolve();
  return {
    path: paths.log,
    append(entry) {
      const record: AuditRecord = { seq: head.count + 1, time: new Date().toISOString(), ...entry, prev: head.last };
      const line = JSON.stringify(record);
      const next = { count: record.seq, last: lineHash(line) };
      head = next;
      const run = queue.then(async () => {
        await handle.appendFile(`${line}\n`);
        await writeHead(headHandle, next);
      });
      queue = run.catch(() => {});
      return run.then(() => record);
    },
    async close() {
      await queue;
      await handle.close();
      await headHandle.close();
    },
  };
}

const HEAD_BYTES = 160;

/** One small write at offset 0, always the same length, so the head is never half old, half new. */
async function writeHead(handle: FileHandle, head: AuditHead): Promise<void> {
  const text = JSON.stringify(head).padEnd(HEAD_BYTES - 1, ' ') + '\n';
  await handle.write(text, 0, 'utf8');
}

export async function readHead(path: string): Promise<AuditHead | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpenmatesError('invalid-config', `The audit head ${path} cannot be read: ${messageOf(error)}.`);
  }
  if (text.trim() === '') return undefined; // created, nothing written yet
  let head: unknown;
  try {
    head = JSON.parse(text);
  } catch {
    head = undefined;
  }
  if (!isAuditHead(head)) throw new OpenmatesError('invalid-config', `The audit head ${path} is damaged.`, 'Run `openmates remote-access audit --verify` to see how far the log is intact.');
  return { count: head.count, last: head.last };
}

/** Without a head file (first run, or an old log): count the lines that are there. */
async function headFromLog(path: string): Promise<AuditHead> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new OpenmatesError('invalid-config', `The audit log ${path} cannot be read: ${messageOf(error)}.`);
  }
  const lines = text.split('\n').filter((line) => line.length > 0);
  const last = lines.at(-1);
  return { count: lines.length, last: last === undefined ? GENESIS_HASH : lineHash(last) };
}
