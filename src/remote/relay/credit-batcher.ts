/** A credit is sent at once (next turn) from this many bytes due... */
const EAGER_CREDIT_BYTES = 64 * 1024;
/** ...else after this long, so small messages do not each cost a credit frame. */
const LAZY_CREDIT_MS = 10;

/**
 * Collects consumed bytes of one client and sends them as few `credit` frames as keep the sender
 * going: a sender blocked on the window always hears within LAZY_CREDIT_MS.
 */
export class CreditBatcher {
  private due = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(private readonly sendCredit: (bytes: number) => void) {}

  add(bytes: number): void {
    this.due += bytes;
    if (this.due >= EAGER_CREDIT_BYTES) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate ??= setImmediate(() => this.flush());
    } else this.timer ??= setTimeout(() => this.flush(), LAZY_CREDIT_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.due === 0) return;
    const bytes = this.due;
    this.due = 0;
    this.sendCredit(bytes);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.due = 0;
  }
}
