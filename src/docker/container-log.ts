/**
 * Follows one container's log through the engine API (GET /containers/<id>/logs), always with
 * timestamps (the core needs them to pick up a restarted container where it left off).
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

/** Inspects the container (TTY or not) and opens its log stream; both under the request deadline. */
async function openLog(
  docker: Dockerode,
  id: string,
  options: ContainerLogOptions,
  requestMs: number,
  signal: AbortSignal,
): Promise<{ stream: ResponseStream; multiplexed: boolean } | undefined> {
  const path = `/containers/${encodeURIComponent(id)}`;
  const statusCodes = { 200: true, 404: 'no such container', 500: 'server error' };
  try {
    return await withDeadline(
      requestMs,
      async (deadline) => {
        const inspected = await dial<InspectedContainer>(docker, { path: `${path}/json`, method: 'GET', statusCodes }, deadline);
        const query: Record<string, unknown> = { stdout: true, stderr: true, timestamps: true, follow: options.follow };
        query.tail = options.tail === undefined ? 'all' : Math.max(0, Math.floor(options.tail));
        const startedAt = options.sinceLastStart ? inspected.State?.StartedAt : undefined;
        const since = later(options.since === undefined ? undefined : sinceParameter(options.since), startedAt ? sinceOfTime(startedAt) : undefined);
        if (since !== undefined) query.since = since;
        // As a stream: dockerode's buffered mode JSON.parses a body that happens to be JSON.
        const stream = await dial<ResponseStream>(docker, { path: `${path}/logs?`, method: 'GET', options: query, isStream: true, statusCodes }, deadline);
        return { stream, multiplexed: inspected.Config?.Tty !== true };
      },
      signal,
    );
  } catch (error) {
    if (error instanceof CallAborted) return undefined;
    if (engineHttpError(error)?.statusCode === 404) return undefined;
    throw error;
  }
}

export async function followContainerLog(
  docker: Dockerode,
  endpoint: string,
  requestMs: number,
  id: string,
  options: ContainerLogOptions,
  onLines: (lines: ContainerLogLine[]) => void | Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const shortId = id.slice(0, 12);
  let opened;
  try {
    opened = await openLog(docker, id, options, requestMs, signal);
  } catch (error) {
    throw toEngineError(error, endpoint, `read the log of container ${shortId}`);
  }
  if (!opened) return;
  const { stream, multiplexed } = opened;
  const stop = () => stream.destroy();
  signal.addEventListener('abort', stop, { once: true });
  const reader = new TimestampedLineReader(multiplexed);
  try {
    for await (const chunk of stream) {
      const lines = reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (lines.length > 0) await onLines(lines);
      if (signal.aborted) return;
    }
    const rest = reader.end();
    if (rest.length > 0) await onLines(rest);
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof OpenmatesError) throw error;
    throw new OpenmatesError(
      'engine-unreachable',
      `The Docker engine at ${endpoint} stopped answering while sending the log of container ${shortId} (${messageOf(error)}).`,
      'Check that Docker is running (`systemctl status docker`), then try again.',
    );
  } finally {
    signal.removeEventListener('abort', stop);
    stream.destroy();
  }
}
