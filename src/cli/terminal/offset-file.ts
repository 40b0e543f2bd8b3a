import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Every record has this length, so each update overwrites the one before in place. */
const RECORD_BYTES = 48;

/**
 * How much of a terminal's output this machine has shown: $XDG_STATE_HOME/openmates/terminals/<agent>-<id>.json
 * (0600). A client killed with -9 and started again with --attach continues from there: what it
 * missed arrives once, what is already on the screen not again. It is updated after every piece
 * of output reaches the screen, with one small write in place: a throttled update would replay
 * what came in the last interval before a kill -9.
 */
export class OffsetFile {
  private readonly path: string;
  private fd: number | undefined;
  private written: number | undefined;

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

  /** Records that the screen has every byte before `offset`. */
  update(offset: number): void {
    if (offset === this.written) return;
    if (this.fd === undefined) {
      mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'w', 0o600);
    }
    writeSync(this.fd, `${JSON.stringify({ received: offset })}`.padEnd(RECORD_BYTES - 1, ' ') + '\n', 0);
    this.written = offset;
  }

  /** Done with it for now (detached): the file stays for the next --attach. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** The terminal ended: nothing left to continue. */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}
