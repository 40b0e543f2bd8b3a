/**
 * Paces redraws for new log lines: at most one per MIN_INTERVAL_MS (~30 per second), and further
 * apart when a redraw is expensive (COST_FACTOR times what the last one took, up to
 * MAX_INTERVAL_MS), so that under a flood of lines drawing never takes the time reading needs.
 */
export const MIN_INTERVAL_MS = 33;
export const MAX_INTERVAL_MS = 250;
const COST_FACTOR = 3;

export class RedrawPacer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private drawingSince: number | undefined;
  private cost = 0;
  private stopped = false;

  constructor(
    private readonly draw: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The gap kept between two redraws now. */
  get interval(): number {
    return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, this.cost * COST_FACTOR));
  }

  /** New lines are waiting: draws them once the gap since the last redraw has passed. */
  request(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.lastDrawAt = this.drawingSince = this.now();
        this.draw();
      },
      Math.max(0, this.lastDrawAt + this.interval - this.now()),
    );
  }

  /** The redraw is on the screen: what it took decides the next gap. */
  drawn(): void {
    if (this.drawingSince === undefined) return;
    this.cost = this.now() - this.drawingSince;
    this.drawingSince = undefined;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
