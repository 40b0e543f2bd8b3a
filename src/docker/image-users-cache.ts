import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ImageUsers {
  configured: string;
  passwd: string;
}

type Env = Record<string, string | undefined>;

/**
 * What a run's image probe found (its USER and /etc/passwd), kept by the image's content id
 * (sha256), which names exactly one set of layers: the answer for an id can never change, so a
 * second run from the same image needs no probe container. XDG_CACHE_HOME/openmates/image-users/.
 * A missing, unreadable or corrupt entry is only a probe more.
 */
export class ImageUsersCache {
  private readonly memory = new Map<string, ImageUsers>();
  constructor(private readonly dir: string) {}

  static forEnv(env: Env): ImageUsersCache {
    return new ImageUsersCache(join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'openmates', 'image-users'));
  }

  private file(imageId: string): string | undefined {
    const digest = /^sha256:([0-9a-f]{64})$/.exec(imageId)?.[1];
    return digest ? join(this.dir, `${digest}.json`) : undefined;
  }

  async get(imageId: string): Promise<ImageUsers | undefined> {
    const known = this.memory.get(imageId);
    if (known) return known;
    const file = this.file(imageId);
    if (!file) return undefined;
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ImageUsers>;
      if (typeof parsed.configured !== 'string' || typeof parsed.passwd !== 'string') return undefined;
      const users = { configured: parsed.configured, passwd: parsed.passwd };
      this.memory.set(imageId, users);
      return users;
    } catch {
      return undefined;
    }
  }

  async set(imageId: string, users: ImageUsers): Promise<void> {
    this.memory.set(imageId, users);
    const file = this.file(imageId);
    if (!file) return;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(users), { mode: 0o600 });
      await rename(temp, file);
    } catch {
      // an unwritable cache only costs the next run a probe
    }
  }
}
