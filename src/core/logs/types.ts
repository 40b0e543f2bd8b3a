/** What `logs` takes and hands over; every face (CLI lines, --json, the Logs screen) renders these. */

export interface LogsOptions {
  installDir: string;
  /** Only these services (names as in the compose file); undefined or empty: all. */
  services?: string[];
  /** Only lines written since then: a duration back from now (10m, 1h30m, 45s), Unix seconds, or an RFC 3339 time. */
  since?: string;
  /** Start with this many lines from the end of each container's log; undefined: the whole log. */
  tail?: number;
  /** Keep following: new lines, and containers that start, restart or are recreated, until aborted. */
  follow: boolean;
  /** Give each entry the engine's timestamp (`time`). */
  timestamps: boolean;
  /**
   * With `tail`: hand the starting lines of all services over in time order (they are read
   * first, at most `tail` per container), then go on live. Without it lines come as they arrive.
   */
  ordered?: boolean;
}

export type LogEntry =
  | {
      kind: 'line';
      service: string;
      stream: 'stdout' | 'stderr';
      text: string;
      /** RFC 3339 with nanoseconds (UTC); only with `timestamps`. */
      time?: string;
    }
  | {
      /** A service stopped or started while following: "api stopped (exit code 137)". */
      kind: 'notice';
      service: string;
      event: 'stopped' | 'started';
      text: string;
      time?: string;
    };

export interface LogStreamInfo {
  project: string;
  /** Every service of the instance (compose file and containers), sorted. */
  services: string[];
  /** The ones being shown. */
  shown: string[];
}

export interface LogSink {
  /** Called once, before any entry. */
  started?(info: LogStreamInfo): void;
  /**
   * A batch of entries in the order they arrived. Return a promise to make the reading wait for it
   * (e.g. until a pipe drains): the core keeps nothing beyond the batch it is handing over.
   */
  entries(batch: LogEntry[]): void | Promise<void>;
}

export interface LogsResult {
  project: string;
  shown: string[];
  /** Log lines handed over (notices not counted). */
  lines: number;
}
