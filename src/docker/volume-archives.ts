/**
 * Volumes and container archives through the engine API, for backups and restore: inspect,
 * create and remove volumes, never-started helper containers that mount them, and tar streams
 * in and out of those containers. Streams have a silence deadline instead of a total one: a
 * volume may take minutes to copy, but an engine that stops sending (or reading) is stuck.
 */
import { Transform, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type DockerModem from 'docker-modem';
import { OpenmatesError } from '../core/errors.js';
import { CREATED_BY_LABEL, PROJECT_LABEL, SERVICE_LABEL, withoutSlash } from './container-summary.js';
import { CallAborted, DeadlineExceeded, formatDuration, withDeadline } from './deadline.js';
import { engineHttpError, toEngineError } from './engine-errors.js';
import type { ContainerState, HelperContainerOptions, VolumeDetails, VolumeUser } from './types.js';

export interface ArchiveDeadlines {
  requestMs: number;
  /** How long an archive stream may go without a byte moving. */
  silenceMs: number;
}

export const DEFAULT_ARCHIVE_SILENCE_MS = 120_000;

interface ListedWithMounts {
  Id: string;
  Names?: string[];
  Image?: string;
  State?: string;
  Labels?: Record<string, string> | null;
  Mounts?: { Type?: string; Name?: string }[] | null;
}

export class VolumeArchives {
  constructor(
    private readonly docker: Dockerode,
    private readonly endpoint: string,
    private readonly deadlines: ArchiveDeadlines,
  ) {}

  private dial<T>(options: DockerModem.DialOptions, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.docker.modem.dial({ ...options, abortSignal: signal }, (error, data) => (error ? reject(error) : resolve(data as T)));
    });
  }

  private async call<T>(action: string, run: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
    try {
      return await withDeadline(this.deadlines.requestMs, run, outer);
    } catch (error) {
      throw toEngineError(error, this.endpoint, action);
    }
  }

  inspectVolume(name: string): Promise<VolumeDetails | undefined> {
    return this.call(`inspect the volume ${name}`, async (signal) => {
      try {
        const volume = await this.dial<{ Name: string; Driver?: string; Options?: Record<string, string> | null; Labels?: Record<string, string> | null; Mountpoint?: string }>(
          { path: `/volumes/${encodeURIComponent(name)}`, method: 'GET', statusCodes: { 200: true, 404: 'no such volume', 500: 'server error' } },
          signal,
        );
        return { name: volume.Name, driver: volume.Driver ?? 'local', options: volume.Options ?? {}, labels: volume.Labels ?? {}, mountpoint: volume.Mountpoint ?? '' };
      } catch (error) {
        if (engineHttpError(error)?.statusCode === 404) return undefined;
        throw error;
      }
    });
  }

  async createVolume(volume: Omit<VolumeDetails, 'mountpoint'>): Promise<void> {
    await this.call(`create the volume ${volume.name}`, (signal) =>
      this.dial(
        {
          path: '/volumes/create?',
          method: 'POST',
          options: { _query: {}, _body: { Name: volume.name, Driver: volume.driver, DriverOpts: volume.options, Labels: volume.labels } },
          statusCodes: { 200: true, 201: true, 500: 'server error' },
        },
        signal,
      ),
    );
  }

  async removeVolume(name: string): Promise<void> {
    await this.call(`remove the volume ${name}`, async (signal) => {
      try {
        await this.dial({ path: `/volumes/${encodeURIComponent(name)}`, method: 'DELETE', statusCodes: { 204: true, 404: 'no such volume', 409: 'volume is in use', 500: 'server error' } }, signal);
      } catch (error) {
        const http = engineHttpError(error);
        if (http?.statusCode === 404) return;
        if (http?.statusCode === 409) {
          throw new OpenmatesError('unsafe', `The volume ${name} is still used by a container (${http.message}).`, 'Stop and remove the container that uses it, then try again.');
        }
        throw error;
      }
    });
  }

  containersUsingVolume(name: string): Promise<VolumeUser[]> {
    return this.call(`list the containers using the volume ${name}`, async (signal) => {
      const listed = await this.dial<ListedWithMounts[]>(
        { path: '/containers/json?', method: 'GET', options: { all: true, filters: { volume: [name] } }, statusCodes: { 200: true, 400: 'bad request', 500: 'server error' } },
        signal,
      );
      // The filter also matches mount destinations: keep containers that mount this very volume.
      return listed
        .filter((container) => (container.Mounts ?? []).some((mount) => mount.Type === 'volume' && mount.Name === name))
        .map((container) => {
          const project = container.Labels?.[PROJECT_LABEL];
          const service = container.Labels?.[SERVICE_LABEL];
          return {
            id: container.Id,
            name: withoutSlash(container.Names?.[0]),
            image: container.Image ?? '',
            state: (container.State ?? 'exited') as ContainerState,
            ...(project ? { project } : {}),
            ...(service ? { service } : {}),
          };
        });
    });
  }

  createHelperContainer(options: HelperContainerOptions): Promise<string> {
    return this.call(`create a helper container from ${options.image}`, async (signal) => {
      const created = await this.dial<{ Id: string }>(
        {
          path: '/containers/create?',
          method: 'POST',
          options: {
            _query: { name: options.name },
            _body: {
              Image: options.image,
              // Never started: the command only has to be there for the engine to accept it.
              Cmd: ['true'],
              Labels: { ...options.labels, [CREATED_BY_LABEL]: 'openmates' },
              NetworkDisabled: true,
              HostConfig: { Mounts: options.mounts.map((mount) => ({ Type: 'volume', Source: mount.volume, Target: mount.target })) },
            },
          },
          statusCodes: { 200: true, 201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error' },
        },
        signal,
      );
      return created.Id;
    });
  }

  async removeContainer(id: string): Promise<void> {
    await this.call(`remove the container ${id.slice(0, 12)}`, async (signal) => {
      try {
        await this.dial({ path: `/containers/${encodeURIComponent(id)}?`, method: 'DELETE', options: { force: true, v: false }, statusCodes: { 204: true, 404: 'no such container', 409: 'conflict', 500: 'server error' } }, signal);
      } catch (error) {
        if (engineHttpError(error)?.statusCode === 404) return;
        throw error;
      }
    });
  }

  containersWithLabel(key: string, value: string): Promise<string[]> {
    return this.call(`list the containers labelled ${key}=${value}`, async (signal) => {
      const listed = await this.dial<{ Id: string }[]>(
        { path: '/containers/json?', method: 'GET', options: { all: true, filters: { label: [`${key}=${value}`] } }, statusCodes: { 200: true, 400: 'bad request', 500: 'server error' } },
        signal,
      );
      return listed.map((container) => container.Id);
    });
  }

  async getArchive(containerId: string, path: string, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    const action = `read ${path} of container ${containerId.slice(0, 12)}`;
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const stream = await this.call(
      action,
      (deadline) =>
        this.dial<Readable>(
          {
            path: `/containers/${encodeURIComponent(containerId)}/archive?`,
            method: 'GET',
            options: { path },
            isStream: true,
            statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such container or path', 500: 'server error' },
          },
          AbortSignal.any([deadline, controller.signal]),
        ),
      signal,
    ).catch((error: unknown) => {
      signal?.removeEventListener('abort', abort);
      throw error;
    });
    const watched = watchSilence(this.deadlines.silenceMs, () => {
      watched.destroy(this.stalled(action));
      controller.abort();
    });
    stream.once('error', (error) => watched.destroy(error));
    watched.once('close', () => {
      signal?.removeEventListener('abort', abort);
      stream.destroy();
    });
    signal?.addEventListener('abort', () => watched.destroy(new OpenmatesError('interrupted', `Stopped while the engine was sending ${path}.`)), { once: true });
    stream.pipe(watched);
    return watched;
  }

  async putArchive(containerId: string, path: string, tar: NodeJS.ReadableStream, signal?: AbortSignal): Promise<void> {
    const action = `write into ${path} of container ${containerId.slice(0, 12)}`;
    const controller = new AbortController();
    let stalled = false;
    const watched = watchSilence(this.deadlines.silenceMs, () => {
      stalled = true;
      controller.abort();
    });
    tar.once('error', (error) => watched.destroy(error));
    (tar as Readable).pipe(watched);
    try {
      await this.dial(
        {
          path: `/containers/${encodeURIComponent(containerId)}/archive?`,
          method: 'PUT',
          options: { path },
          file: watched,
          headers: { 'Content-Type': 'application/x-tar' },
          statusCodes: { 200: true, 400: 'bad parameter', 403: 'permission denied', 404: 'no such container or path', 500: 'server error' },
        },
        signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
      );
    } catch (error) {
      if (stalled) throw this.stalled(action);
      if (signal?.aborted) throw toEngineError(new CallAborted(), this.endpoint, action);
      throw toEngineError(error, this.endpoint, action);
    } finally {
      watched.destroy();
      (tar as Readable).destroy?.();
    }
  }

  private stalled(action: string): OpenmatesError {
    return toEngineError(new DeadlineExceeded(this.deadlines.silenceMs), this.endpoint, `${action} (nothing moved for ${formatDuration(this.deadlines.silenceMs)})`);
  }
}

/**
 * A pass-through that calls `onSilence` when no chunk went through for `ms` (counting from now).
 * A transform rather than a 'data' listener: listening would switch the source to flowing mode
 * before its consumer is attached, and chunks would be lost.
 */
function watchSilence(ms: number, onSilence: () => void): Transform {
  const timer = setTimeout(onSilence, ms);
  return new Transform({
    transform(chunk, _encoding, callback) {
      timer.refresh();
      callback(null, chunk);
    },
    flush(callback) {
      clearTimeout(timer);
      callback();
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
}
