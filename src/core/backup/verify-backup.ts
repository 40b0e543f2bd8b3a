import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { OpenmatesError } from '../errors.js';
import { manifestSchema, MANIFEST_ENTRY, MANIFEST_FORMAT, type BackupManifest } from './manifest.js';
import { readEntry, readTarIndex, sha256OfEntry, type TarEntry } from './tar-file-reader.js';
import type { BackupInfo } from './types.js';

export interface OpenedBackup {
  info: BackupInfo;
  manifest: BackupManifest;
  /** Every entry by name, for reading the parts. */
  entries: Map<string, TarEntry>;
}

const ANOTHER_BACKUP_HINT = 'Use another backup: `openmates server backups` lists them.';

function damaged(file: string, problem: string): OpenmatesError {
  return new OpenmatesError('unsafe', `The backup ${file} is damaged: ${problem}; nothing was restored.`, ANOTHER_BACKUP_HINT);
}

function notABackup(file: string, reason: string): OpenmatesError {
  return new OpenmatesError('unsafe', `${file} is not an openmates backup: ${reason}; nothing was restored.`, ANOTHER_BACKUP_HINT);
}

/**
 * Reads an archive's structure and manifest without hashing the parts (fast: a few kilobytes
 * even for a large archive). Throws OpenmatesError('unsafe') for a truncated, damaged or foreign
 * file, and ('usage') when there is no file.
 */
export async function openBackup(file: string): Promise<OpenedBackup> {
  const path = resolve(file);
  const stats = await stat(path).catch(() => undefined);
  if (!stats?.isFile()) {
    throw new OpenmatesError('usage', `There is no backup file at ${path}.`, 'Check the path; `openmates server backups` lists the backups of an install.');
  }
  let index: Awaited<ReturnType<typeof readTarIndex>>;
  try {
    index = await readTarIndex(path);
  } catch (error) {
    throw new OpenmatesError('operation-failed', `Cannot read the backup ${path}: ${(error as Error).message}.`, 'Check its permissions.');
  }
  const manifestEntry = index.entries.find((entry) => entry.name === MANIFEST_ENTRY);
  if (!index.ok) {
    // A tar without our manifest is something else; one with it (or cut short before it) is ours, damaged.
    const ours = manifestEntry || index.entries.some((entry) => entry.name.startsWith('volumes/') || entry.name.startsWith('config/'));
    throw ours || index.entries.length === 0 ? damaged(path, index.problem) : notABackup(path, `it is not a tar archive of ours (${index.problem})`);
  }
  if (!manifestEntry) throw notABackup(path, `it has no ${MANIFEST_ENTRY}`);
  let manifest: BackupManifest;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse((await readEntry(path, manifestEntry)).toString('utf8')));
    if (!parsed.success) {
      const format = parsed.error.issues.some((issue) => issue.path[0] === 'format' || issue.path[0] === 'formatVersion');
      throw format ? notABackup(path, `its manifest is not in the ${MANIFEST_FORMAT} format (version 1)`) : damaged(path, `its manifest is invalid (${parsed.error.issues[0]?.message ?? 'unknown problem'})`);
    }
    manifest = parsed.data;
  } catch (error) {
    if (error instanceof OpenmatesError) throw error;
    throw damaged(path, `its manifest is not valid JSON (${(error as Error).message})`);
  }
  const entries = new Map<string, TarEntry>();
  for (const entry of index.entries) {
    if (entries.has(entry.name)) throw damaged(path, `it holds "${entry.name}" twice`);
    entries.set(entry.name, entry);
  }
  for (const part of manifest.parts) {
    const entry = entries.get(part.entry);
    if (!entry) throw damaged(path, `"${part.entry}" is listed in the manifest but missing`);
    if (entry.size !== part.bytes) throw damaged(path, `"${part.entry}" holds ${entry.size} bytes, the manifest says ${part.bytes}`);
  }
  const listed = new Set(manifest.parts.map((part) => part.entry));
  const extra = [...entries.keys()].filter((name) => name !== MANIFEST_ENTRY && !listed.has(name));
  if (extra.length > 0) throw damaged(path, `it holds ${extra.map((name) => `"${name}"`).join(', ')}, which the manifest does not list`);
  return {
    info: {
      file: path,
      createdAt: manifest.createdAt,
      version: manifest.version,
      reason: manifest.reason,
      bytes: index.fileBytes,
      volumes: manifest.parts.flatMap((part) => (part.kind === 'volume' ? [part.volume] : [])),
    },
    manifest,
    entries,
  };
}

/** openBackup, then the sha256 of every part against the manifest. */
export async function verifyOpenedBackup(opened: OpenedBackup, signal?: AbortSignal): Promise<void> {
  for (const part of opened.manifest.parts) {
    if (signal?.aborted) throw new OpenmatesError('interrupted', `Stopped while checking the backup ${opened.info.file}; nothing was restored.`);
    const actual = await sha256OfEntry(opened.info.file, opened.entries.get(part.entry)!, signal).catch((error: unknown) => {
      if (signal?.aborted) throw new OpenmatesError('interrupted', `Stopped while checking the backup ${opened.info.file}; nothing was restored.`);
      throw error;
    });
    if (actual !== part.sha256) throw damaged(opened.info.file, `the checksum of "${part.entry}" does not match its manifest (sha256 ${actual.slice(0, 12)}…, expected ${part.sha256.slice(0, 12)}…)`);
  }
}

/** Checks an archive completely: structure, manifest and every part's sha256. Refuses corrupt or foreign files. */
export async function verifyBackup(file: string, signal?: AbortSignal): Promise<BackupInfo> {
  const opened = await openBackup(file);
  await verifyOpenedBackup(opened, signal);
  return opened.info;
}
