/** A token bucket: `perSecond` frames a second, bursts of as many (a function: a rate that follows the load it serves). */
export class FrameRate {
  private tokens: number;
  private last: number;
  private readonly rate: () => number;

  constructor(
    perSecond: number | (() => number),
    private readonly now: () => number = Date.now,
  ) {
    this.rate = typeof perSecond === 'number' ? () => perSecond : perSecond;
    this.tokens = this.rate();
    this.last = now();
  }

  /** false once the connection sends faster than allowed. */
  take(): boolean {
    const now = this.now();
    const perSecond = this.rate();
    this.tokens = Math.min(perSecond, this.tokens + ((now - this.last) / 1000) * perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
