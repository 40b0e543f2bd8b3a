/**
 * One logs run over a project's containers: every shown container's log is read at once and the
 * batches are handed over as they arrive (one merged stream). While following, the project's
 * engine events keep it complete: a container that starts (new, restarted or recreated) has its
 * new run read (nothing shown twice), and a container that stops says so in the stream, after its
 * last lines. The session keeps no lines: each batch goes straight to the sink.
 */
import { setMaxListeners } from 'node:events';
import type { ContainerEvent, ContainerLogLine, ContainerLogOptions, ContainerSummary, DockerEngine } from '../../docker/types.js';
import { isoTime, timeKey, timeSeconds } from './log-time.js';
import type { LogEntry, LogSink } from './types.js';

/** How long a stop notice waits for the container's log stream to end (its last lines come first). */
const NOTICE_WAIT_MS = 2_000;
/** How a container that (re)started while following is read: all of its current run, live. */
const CURRENT_RUN: ContainerLogOptions = { follow: true, sinceLastStart: true };
/** The ordered backlog is handed over in batches of this many lines. */
const BACKLOG_BATCH = 2_000;
/** The engine events a session acts on (see onEvent); the engine filters out the rest (healthcheck exec_*, ...). */
export const LOG_EVENT_ACTIONS = ['start', 'die', 'destroy'] as const;

type Notice = Extract<LogEntry, { kind: 'notice' }>;

class ContainerLog {
  reading = false;
  /** Timestamp key of the last line handed over: a re-read starts after it. */
  lastKey: string | undefined;
  /** Set when the container started again while its previous stream had not ended yet. */
  private restarted = false;
  /** Stops the current read only (the session's signal stops them all). */
  private current: AbortController | undefined;
  /** Notices that must follow the lines still on their way. */
  private pending: Notice[] = [];
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  removed = false;

  constructor(
    readonly id: string,
    readonly service: string,
    private readonly session: LogSession,
  ) {}

  read(options: ContainerLogOptions): void {
    this.reading = true;
    let skipUpTo = this.lastKey;
    const deliver = (lines: ContainerLogLine[]): void | Promise<void> => {
      let from = 0;
      if (skipUpTo !== undefined) {
        while (from < lines.length && timeKey(lines[from]!.time) <= skipUpTo) from++;
        if (from < lines.length) skipUpTo = undefined;
        if (from === lines.length) return;
      }
      this.lastKey = timeKey(lines[lines.length - 1]!.time);
      return this.session.deliverLines(this.service, from === 0 ? lines : lines.slice(from));
    };
    const current = new AbortController();
    const stop = () => current.abort();
    this.session.signal.addEventListener('abort', stop, { once: true });
    this.current = current;
    const reading = this.session.engine.followContainerLog(this.id, options, deliver, current.signal).finally(() => this.session.signal.removeEventListener('abort', stop));
    this.session.track(reading.then(() => this.ended()));
  }

  /**
   * It started again. Its new run is read once the old stream has ended; an old stream that has
   * not ended NOTICE_WAIT_MS later (the engine kept it open across the restart) is closed then.
   */
  startedAgain(notice: Notice): void {
    if (!this.reading) {
      this.session.deliverNotice(notice);
      return this.read(CURRENT_RUN);
    }
    this.restarted = true;
    this.notice(notice);
  }

  /** A notice now, or after the lines still being read (at most NOTICE_WAIT_MS later). */
  notice(notice: Notice): void {
    if (!this.reading) return this.session.deliverNotice(notice);
    this.pending.push(notice);
    this.pendingTimer ??= setTimeout(() => this.flush(), NOTICE_WAIT_MS);
    this.pendingTimer.unref?.();
  }

  private flush(): void {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    const notices = this.pending;
    this.pending = [];
    for (const notice of notices) this.session.deliverNotice(notice);
    if (this.restarted && this.reading) this.current?.abort();
  }

  private ended(): void {
    this.reading = false;
    if (this.session.signal.aborted) return void clearTimeout(this.pendingTimer);
    this.flush();
    if (this.restarted) {
      this.restarted = false;
      this.read(CURRENT_RUN);
    } else if (this.removed) {
      this.session.forget(this.id);
    }
  }
}

export class LogSession {
  private readonly controller = new AbortController();
  private failure: { error: unknown } | undefined;
  private readonly running = new Set<Promise<void>>();
  private readonly logs = new Map<string, ContainerLog>();
  lines = 0;

  constructor(
    readonly engine: DockerEngine,
    private readonly project: string,
    private readonly shown: ReadonlySet<string>,
    private readonly sink: LogSink,
    private readonly timestamps: boolean,
    outer?: AbortSignal,
  ) {
    // Every container's stream (and its requests) listens to this one signal: that is no leak.
    setMaxListeners(0, this.controller.signal);
    if (outer?.aborted) this.controller.abort();
    else outer?.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Reads every shown container (and, with `follow`, whatever starts later) until done or aborted.
   * `ordered` (needs a tail): the starting lines of all containers are handed over in time order
   * first, then each running container is followed from its last line on.
   */
  async run(initial: ContainerLogOptions, ordered = false): Promise<void> {
    const backlogFirst = ordered && initial.tail !== undefined;
    // Events that arrive while the backlog is read wait for it, so they act on the followed state.
    let waitingEvents: ContainerEvent[] | undefined = backlogFirst ? [] : undefined;
    const watching = initial.follow
      ? this.engine
          .watchContainerEvents(this.project, (event) => (waitingEvents ? waitingEvents.push(event) : this.onEvent(event)), this.signal, LOG_EVENT_ACTIONS)
          .catch((error: unknown) => this.fail(error))
      : undefined;
    try {
      const containers = (await this.engine.projectContainers(this.project)).filter((container) => this.shown.has(container.service));
      if (backlogFirst) {
        await this.readOrderedBacklog(containers, initial);
        const events = waitingEvents ?? [];
        waitingEvents = undefined;
        for (const event of events) this.onEvent(event);
      } else {
        for (const container of containers) {
          if (this.logs.has(container.id) || this.signal.aborted) continue;
          this.logOf(container.id, container.service).read(initial);
        }
      }
    } catch (error) {
      this.fail(error);
    }
    if (watching) await watching;
    while (this.running.size > 0) await Promise.all([...this.running]);
    if (this.failure) throw this.failure.error;
  }

  /** The last `tail` lines of each container, merged in time order, then (following) each running one from there. */
  private async readOrderedBacklog(containers: ContainerSummary[], initial: ContainerLogOptions): Promise<void> {
    const backlogs = await Promise.all(
      containers.map(async (container) => {
        const lines: ContainerLogLine[] = [];
        await this.engine.followContainerLog(container.id, { ...initial, follow: false }, (batch) => void lines.push(...batch), this.signal);
        return { container, lines };
      }),
    );
    if (this.signal.aborted) return;
    const merged = backlogs
      .flatMap(({ container, lines }) => lines.map((line) => ({ service: container.service, line, key: timeKey(line.time) })))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let start = 0; start < merged.length && !this.signal.aborted; start += BACKLOG_BATCH) {
      const slice = merged.slice(start, start + BACKLOG_BATCH);
      this.lines += slice.length;
      await this.sink.entries(slice.map(({ service, line }) => this.entryOf(service, line)));
    }
    for (const { container, lines } of backlogs) {
      const log = this.logOf(container.id, container.service);
      const last = lines.at(-1);
      if (last) log.lastKey = timeKey(last.time);
      if (!initial.follow || container.state !== 'running' || this.signal.aborted) continue;
      // From the last line shown on (it comes again and is skipped), or as asked when there was none.
      const since = last ? timeSeconds(last.time) : initial.since;
      log.read({ follow: true, ...(since === undefined ? {} : { since }) });
    }
  }

  track(reading: Promise<void>): void {
    const settled = reading.catch((error: unknown) => this.fail(error));
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.controller.abort();
  }

  forget(id: string): void {
    this.logs.delete(id);
  }

  deliverLines(service: string, lines: ContainerLogLine[]): void | Promise<void> {
    if (this.signal.aborted) return;
    this.lines += lines.length;
    const batch: LogEntry[] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) batch[i] = this.entryOf(service, lines[i]!);
    return this.sink.entries(batch);
  }

  private entryOf(service: string, line: ContainerLogLine): LogEntry {
    return this.timestamps
      ? { kind: 'line', service, stream: line.stream, text: line.text, time: line.time }
      : { kind: 'line', service, stream: line.stream, text: line.text };
  }

  deliverNotice(notice: Notice): void {
    if (this.signal.aborted) return;
    const waiting = this.sink.entries([this.timestamps ? notice : withoutTime(notice)]);
    if (waiting) waiting.catch((error: unknown) => this.fail(error));
  }

  private logOf(id: string, service: string): ContainerLog {
    let log = this.logs.get(id);
    if (!log) {
      log = new ContainerLog(id, service, this);
      this.logs.set(id, log);
    }
    return log;
  }

  private onEvent(event: ContainerEvent): void {
    const { service } = event;
    if (!service || !this.shown.has(service) || this.signal.aborted) return;
    const time = isoTime(event.time);
    switch (event.action) {
      case 'start': {
        // Its current run only: a restarted container's earlier lines are not repeated. (Not from
        // the event's time: the first lines are written before the engine reports the start.)
        this.logOf(event.containerId, service).startedAgain({ kind: 'notice', service, event: 'started', text: `${service} started`, time });
        break;
      }
      case 'die': {
        const text = `${service} stopped${event.exitCode === undefined ? '' : ` (exit code ${event.exitCode})`}`;
        this.logOf(event.containerId, service).notice({ kind: 'notice', service, event: 'stopped', text, time });
        break;
      }
      case 'destroy': {
        const log = this.logs.get(event.containerId);
        if (log && !log.reading) this.forget(event.containerId);
        else if (log) log.removed = true;
        break;
      }
    }
  }
}

function withoutTime(notice: Notice): Notice {
  const { time: _time, ...rest } = notice;
  return rest;
}
