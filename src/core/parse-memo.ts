/**
 * Remembers what parsing and validating a file's text gave, so the next read of the same text
 * skips the work: `status` reads the install's stack copy, its compose file and the settings on
 * every run, and loading the YAML parser and zod to re-check them cost it more than its engine
 * calls. The full text is stored beside the value and compared, so an edited file is parsed again;
 * a failure is never remembered (the next run reports it the same way). Entries belong to one
 * build: another build (a new version, a changed schema) parses afresh and removes the old ones.
 * Kept in XDG_CACHE_HOME/openmates/parsed/ (else ~/.cache); writing there is best effort.
 */
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

declare const OPENMATES_BUILD_ID: string;

/** Entries kept per kind and build: one per install for the stack and compose kinds, on a machine with a few. */
const KEPT_PER_KIND = 8;

export interface ParseMemoOptions {
  dir: string;
  /** Which build's parsers made the entries; undefined (running from source) turns the memo off. */
  build: string | undefined;
}

interface Entry {
  kind: string;
  build: string;
  text: string;
  value: unknown;
}

export function defaultParseMemo(env: Record<string, string | undefined> = process.env): ParseMemoOptions {
  return {
    dir: join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'openmates', 'parsed'),
    build: typeof OPENMATES_BUILD_ID === 'string' ? OPENMATES_BUILD_ID : undefined,
  };
}

/** parse(), or what it returned for exactly this text before. Its value must survive JSON (plain data); `kind` is one word (no "-"). */
export async function memoizedParse<T>(kind: string, text: string, parse: () => T | Promise<T>, options: ParseMemoOptions = defaultParseMemo()): Promise<T> {
  const { build, dir } = options;
  if (build === undefined) return parse();
  const file = join(dir, `${kind}-${build}-${fnv1a(text)}.json`);
  const remembered = await readFile(file, 'utf8').then(
    (json) => JSON.parse(json) as Entry,
    () => undefined,
  );
  if (remembered && remembered.kind === kind && remembered.build === build && remembered.text === text) return remembered.value as T;
  const value = await parse();
  await remember(dir, file, { kind, build, text, value }).catch(() => undefined);
  return value;
}

async function remember(dir: string, file: string, entry: Entry): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(entry), { mode: 0o600 });
  await rename(temporary, file);
  // Entries of other builds of this kind are never read again; of this build, the newest few are
  // kept (a file edited many times, or the device list after each change, would add one each).
  const prefix = `${entry.kind}-`;
  const ours: { path: string; modified: number }[] = [];
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.json')) continue;
    const path = join(dir, name);
    if (!name.startsWith(`${prefix}${entry.build}-`)) await unlink(path).catch(() => undefined);
    else if (path !== file) ours.push({ path, modified: await stat(path).then((info) => info.mtimeMs, () => 0) });
  }
  ours.sort((a, b) => b.modified - a.modified);
  for (const old of ours.slice(KEPT_PER_KIND - 1)) await unlink(old.path).catch(() => undefined);
}

/** 32-bit FNV-1a as 8 hex digits: only spreads entries over file names; the stored text decides a hit. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
