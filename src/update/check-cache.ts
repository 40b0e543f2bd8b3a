import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** How long a registry's answer is trusted before it is asked again. */
export const CHECK_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

const pendingWrites = new Map<string, Promise<void>>();

interface CacheEntry {
  checkedAt: number;
  value: unknown;
}

/** The update check's cache file: XDG_CACHE_HOME/openmates/update-check.json (else ~/.cache). */
export function defaultCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'openmates', 'update-check.json');
}

/**
 * Answers of registries, by key, each with the time it was fetched. A missing, unreadable or
 * corrupt file is an empty cache (it only saves a request); writes are atomic (temp + rename).
 */
export class CheckCache {
  constructor(
    readonly file: string = defaultCacheFile(),
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = CHECK_CACHE_TTL_MS,
  ) {}

  /** The cached value when it is younger than the TTL, with the time it was fetched. */
  async get<T>(key: string): Promise<{ value: T; checkedAt: number } | undefined> {
    const entry = (await this.readAll())[key];
    if (!entry || typeof entry.checkedAt !== 'number') return undefined;
    const age = this.now() - entry.checkedAt;
    if (age < 0 || age >= this.ttlMs) return undefined;
    return { value: entry.value as T, checkedAt: entry.checkedAt };
  }

  /**
   * The server and CLI checks run at once: their read-modify-write of the one file goes through a
   * queue per file, or the second write would drop the first one's entry.
   */
  set(key: string, value: unknown): Promise<void> {
    const previous = pendingWrites.get(this.file) ?? Promise.resolve();
    const next = previous.then(() => this.write(key, value));
    pendingWrites.set(this.file, next);
    return next.finally(() => {
      if (pendingWrites.get(this.file) === next) pendingWrites.delete(this.file);
    });
  }

  private async write(key: string, value: unknown): Promise<void> {
    const entries = await this.readAll();
    entries[key] = { checkedAt: this.now(), value };
    try {
      await mkdir(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ entries }, null, 2)}\n`);
      await rename(temporary, this.file);
    } catch {
      // A cache that cannot be written costs a request next time, nothing more.
    }
  }

  private async readAll(): Promise<Record<string, CacheEntry>> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as { entries?: unknown };
      return parsed.entries && typeof parsed.entries === 'object' && !Array.isArray(parsed.entries) ? (parsed.entries as Record<string, CacheEntry>) : {};
    } catch {
      return {};
    }
  }
}
