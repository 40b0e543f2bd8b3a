/**
 * Follows one container's log through the engine API (GET /containers/<id>/logs), always with
 * timestamps (the core uses them to pick a restarted container up where it left off).
 */
import type Dockerode from 'dockerode';
import type DockerModem from 'docker-modem';
import { OpenmatesError, messageOf } from '../core/errors.js';
import type { InspectedContainer } from './container-summary.js';
import { CallAborted, withDeadline } from './deadline.js';
import { engineHttpError, toEngineError } from './engine-errors.js';
import { TimestampedLineReader } from './timestamped-lines.js';
import type { ContainerLogLine, ContainerLogOptions } from './types.js';

type ResponseStream = NodeJS.ReadableStream & AsyncIterable<Buffer | string> & { destroy(): void };
type OnLines = (lines: ContainerLogLine[]) => void | Promise<void>;

interface OpenedLog {
  stream: ResponseStream;
  multiplexed: boolean;
}

function dial<T>(docker: Dockerode, options: DockerModem.DialOptions, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    docker.modem.dial({ ...options, abortSignal: signal }, (error, data) => (error ? reject(error) : resolve(data as T)));
  });
}

/** Docker's `since`: seconds and nanoseconds as a decimal string, rounded down to the microsecond. */
export function sinceParameter(seconds: number): string {
  const micros = Math.floor(seconds * 1e6);
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}000`;
}

/** An engine time (RFC 3339 with up to nanoseconds, UTC) as Docker's `since`, exactly. */
export function sinceOfTime(time: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(time);
  if (!match) {
    const ms = Date.parse(time);
    return Number.isFinite(ms) ? sinceParameter(ms / 1000) : undefined;
  }
  return `${Date.parse(`${match[1]}Z`) / 1000}.${(match[2] ?? '').padEnd(9, '0')}`;
}

/** The later of two `since` values. */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return Number(a) >= Number(b) ? a : b;
}

/**
 * Where a container's current run begins in its log: when its previous run ended (FinishedAt), or
 * the log's start when there was none. Not StartedAt: the engine stamps a new process's first
 * lines a little before it records the start.
 */
function currentRunSince(inspected: InspectedContainer): string | undefined {
  const finishedAt = (inspected.State as { FinishedAt?: string } | undefined)?.FinishedAt;
  return finishedAt && !finishedAt.startsWith('0001-') ? sinceOfTime(finishedAt) : undefined;
}

class LogReader {
  private readonly shortId: string;

  constructor(
    private readonly docker: Dockerode,
    private readonly endpoint: string,
    private readonly requestMs: number,
    private readonly id: string,
    private readonly signal: AbortSignal,
  ) {
    this.shortId = id.slice(0, 12);
  }

  /** Inspects the container (TTY or not) and opens a log stream; both under the request deadline. Undefined: gone or aborted. */
  async open(request: ContainerLogOptions): Promise<OpenedLog | undefined> {
    const path = `/containers/${encodeURIComponent(this.id)}`;
    const statusCodes = { 200: true, 404: 'no such container', 500: 'server error' };
    try {
      return await withDeadline(
        this.requestMs,
        async (deadline) => {
          const inspected = await dial<InspectedContainer>(this.docker, { path: `${path}/json`, method: 'GET', statusCodes }, deadline);
          const query: Record<string, unknown> = { stdout: true, stderr: true, timestamps: true, follow: request.follow };
          query.tail = request.tail === undefined ? 'all' : Math.max(0, Math.floor(request.tail));
          const since = later(request.since === undefined ? undefined : sinceParameter(request.since), request.sinceLastStart ? currentRunSince(inspected) : undefined);
          if (since !== undefined) query.since = since;
          // As a stream: dockerode's buffered mode JSON.parses a body that happens to be JSON.
          const stream = await dial<ResponseStream>(this.docker, { path: `${path}/logs?`, method: 'GET', options: query, isStream: true, statusCodes }, deadline);
          return { stream, multiplexed: inspected.Config?.Tty !== true };
        },
        this.signal,
      );
    } catch (error) {
      if (error instanceof CallAborted) return undefined;
      if (engineHttpError(error)?.statusCode === 404) return undefined;
      throw toEngineError(error, this.endpoint, `read the log of container ${this.shortId}`);
    }
  }

  /** Hands a stream's lines over until it ends or the signal aborts. */
  async pump(opened: OpenedLog, onLines: OnLines): Promise<void> {
    const { stream } = opened;
    const stop = () => stream.destroy();
    this.signal.addEventListener('abort', stop, { once: true });
    const reader = new TimestampedLineReader(opened.multiplexed);
    try {
      for await (const chunk of stream) {
        const lines = reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        if (lines.length > 0) await onLines(lines);
        if (this.signal.aborted) return;
      }
      const rest = reader.end();
      if (rest.length > 0) await onLines(rest);
    } catch (error) {
      if (this.signal.aborted) return;
      if (error instanceof OpenmatesError) throw error;
      throw new OpenmatesError(
        'engine-unreachable',
        `The Docker engine at ${this.endpoint} stopped answering while sending the log of container ${this.shortId} (${messageOf(error)}).`,
        'Check that Docker is running (`systemctl status docker`), then try again.',
      );
    } finally {
      this.signal.removeEventListener('abort', stop);
      stream.destroy();
    }
  }
}

export async function followContainerLog(
  docker: Dockerode,
  endpoint: string,
  requestMs: number,
  id: string,
  options: ContainerLogOptions,
  onLines: OnLines,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const log = new LogReader(docker, endpoint, requestMs, id, signal);
  const opened = await log.open(options);
  if (opened) await log.pump(opened, onLines);
}
