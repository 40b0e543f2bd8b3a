import { MUX_WINDOW_BYTES } from './mux-frames.js';

/**
 * Credit goes back once this much is due: a quarter of the window keeps a bulk sender going
 * without one credit frame per message. A sender that may wait on less says so (a credit frame of
 * 0 bytes, see `senderWaits`), so small messages cost no credit frame and no timer.
 */
export const EAGER_CREDIT_BYTES = MUX_WINDOW_BYTES / 4;

/**
 * Collects consumed bytes of one client and sends them as few `credit` frames as keep the sender
 * going: at once (next turn) from EAGER_CREDIT_BYTES due, or when the sender said it waits.
 */
export class CreditBatcher {
  private due = 0;
  private senderWaiting = false;
  private immediate: NodeJS.Immediate | undefined;

  constructor(private readonly sendCredit: (bytes: number) => void) {}

  add(bytes: number): void {
    this.due += bytes;
    if (this.due >= EAGER_CREDIT_BYTES || this.senderWaiting) this.schedule();
  }

  /** The sender cannot send its next message with the credit it has: what is due goes now, or as soon as some is. */
  senderWaits(): void {
    this.senderWaiting = true;
    if (this.due > 0) this.schedule();
  }

  private schedule(): void {
    this.immediate ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.immediate = undefined;
    if (this.due === 0) return;
    const bytes = this.due;
    this.due = 0;
    this.senderWaiting = false;
    this.sendCredit(bytes);
  }

  stop(): void {
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.due = 0;
    this.senderWaiting = false;
  }
}
