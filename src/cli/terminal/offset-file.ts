import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How often, at most, the offset is written while output flows. */
const WRITE_EVERY_MS = 200;

/**
 * How much of a terminal's output this machine has: $XDG_STATE_HOME/openmates/terminals/<agent>-<id>.json
 * (0600). A client killed with -9 and started again with --attach continues from there: what it
 * missed arrives once, what is already on the screen not again.
 */
export class OffsetFile {
  private readonly path: string;
  private offset: number | undefined;
  private written: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(agentId: string, terminalId: string, env: NodeJS.ProcessEnv = process.env) {
    const stateHome = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
    const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_');
    this.path = join(stateHome, 'openmates', 'terminals', `${safe(agentId)}-${safe(terminalId)}.json`);
  }

  /** The saved offset, or undefined (another machine, or never attached here). */
  read(): number | undefined {
    try {
      const saved = JSON.parse(readFileSync(this.path, 'utf8')) as { received?: unknown };
      return typeof saved.received === 'number' && Number.isSafeInteger(saved.received) && saved.received >= 0 ? saved.received : undefined;
    } catch {
      return undefined;
    }
  }

  /** Remembers `offset`; written at most every 200 ms (and by flush()). */
  update(offset: number): void {
    this.offset = offset;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, WRITE_EVERY_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.offset === undefined || this.offset === this.written) return;
    const dir = join(this.path, '..');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ received: this.offset, savedAt: new Date().toISOString() })}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
    this.written = this.offset;
  }

  /** The terminal ended: nothing left to continue. */
  remove(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    rmSync(this.path, { force: true });
  }
}
