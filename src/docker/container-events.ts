import type Dockerode from 'dockerode';
import { OpenmatesError } from '../core/errors.js';
import { PROJECT_LABEL, SERVICE_LABEL } from './container-summary.js';
import { toEngineError } from './engine-errors.js';
import type { ContainerEvent } from './types.js';

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  timeNano?: number;
  time?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** One engine event as the core sees it; "health_status: healthy" becomes action + health. */
export function toContainerEvent(raw: RawEvent): ContainerEvent | undefined {
  const rawAction = raw.Action ?? raw.status;
  const id = raw.Actor?.ID ?? raw.id;
  if (raw.Type !== undefined && raw.Type !== 'container') return undefined;
  if (!rawAction || !id) return undefined;
  const attributes = raw.Actor?.Attributes ?? {};
  const [action, detail] = rawAction.split(/:\s*/, 2) as [string, string | undefined];
  const exitCode = attributes.exitCode !== undefined ? Number(attributes.exitCode) : undefined;
  return {
    action,
    containerId: id,
    containerName: attributes.name,
    service: attributes[SERVICE_LABEL],
    ...(action === 'health_status' && detail ? { health: detail } : {}),
    ...(exitCode !== undefined && Number.isFinite(exitCode) ? { exitCode } : {}),
    time: raw.timeNano ? Math.floor(raw.timeNano / 1e6) : (raw.time ?? 0) * 1000,
  };
}

/** The engine's events filter for one project's containers, and only `actions` when given. */
export function eventFilters(project: string, actions?: readonly string[]): Record<string, string[]> {
  return { type: ['container'], label: [`${PROJECT_LABEL}=${project}`], ...(actions ? { event: [...actions] } : {}) };
}

/**
 * Follows the engine's container events for one Compose project until `signal` aborts (then it
 * resolves). When the engine goes away mid-stream it rejects with a clear engine error.
 * `actions`: only those events (the engine matches "health_status" to "health_status: healthy").
 */
export async function watchContainerEvents(docker: Dockerode, endpoint: string, project: string, onEvent: (event: ContainerEvent) => void, signal: AbortSignal, actions?: readonly string[]): Promise<void> {
  if (signal.aborted) return;
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.getEvents({ filters: eventFilters(project, actions), abortSignal: signal } as Dockerode.GetEventsOptions)) as NodeJS.ReadableStream;
  } catch (error) {
    if (signal.aborted) return;
    throw toEngineError(error, endpoint, `follow the events of project "${project}"`);
  }
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    const stop = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      resolve();
    };
    signal.addEventListener('abort', stop, { once: true });
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (!line) continue;
        try {
          const event = toContainerEvent(JSON.parse(line) as RawEvent);
          if (event) onEvent(event);
        } catch {
          // A line that is not JSON is not an event; the stream goes on.
        }
      }
    });
    const ended = (error?: Error) => {
      signal.removeEventListener('abort', stop);
      if (signal.aborted) return resolve();
      reject(
        new OpenmatesError(
          'engine-unreachable',
          `The Docker engine at ${endpoint} stopped answering while following project "${project}"${error ? `: ${error.message}` : ''}.`,
          'Check that Docker is running (`systemctl status docker`), then try again.',
        ),
      );
    };
    stream.on('error', ended);
    stream.on('end', () => ended());
    stream.on('close', () => ended());
  });
}
