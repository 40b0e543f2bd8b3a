/**
 * DockerEngine over dockerode. Every call has a deadline and is made abortable by passing the
 * deadline's signal down to the HTTP request (dockerode's typings omit `abortSignal` on several
 * methods, and image/network inspect ignore it, so those go through `modem.dial` directly).
 */
import type Dockerode from 'dockerode';
import type DockerModem from 'docker-modem';
import { OpenmatesError } from '../core/errors.js';
import { withDeadline } from './deadline.js';
import { CREATED_BY_LABEL, PROJECT_LABEL, SERVICE_LABEL, briefContainer, containerState, summarizeContainer, withoutSlash, type InspectedContainer, type ListedContainer } from './container-summary.js';
import { engineHttpError, engineUnreachableError, isNotFound, toEngineError } from './engine-errors.js';
import { readLogLines } from './log-lines.js';
import { dockerSocketGroupId } from './socket-group.js';
import { DEFAULT_PULL_TIMEOUTS, pullImage, type PullTimeouts } from './pull.js';
import { watchContainerEvents } from './container-events.js';
import { followContainerLog } from './container-log.js';
import { summaryFromInspect, type InspectedWithPorts } from './container-inspect.js';
import { toContainerStats, type RawStats } from './container-stats.js';
import type { ContainerBrief, ContainerEvent, ContainerLogLine, ContainerLogOptions, ContainerStats, ContainerSummary, DockerEngine, EngineInfo, HelperContainerOptions, NamedContainer, PullProgress, VolumeDetails, VolumeSize, VolumeUser } from './types.js';
import { DEFAULT_ARCHIVE_SILENCE_MS, VolumeArchives } from './volume-archives.js';
import { byText } from '../core/text-order.js';

export { CREATED_BY_LABEL, PROJECT_LABEL, SERVICE_LABEL } from './container-summary.js';

export interface EngineDeadlines {
  /** ping: short, it decides "is there an engine at all". */
  pingMs: number;
  /** Every other single request (list, inspect, create, logs). */
  requestMs: number;
  pull: PullTimeouts;
}

export const DEFAULT_DEADLINES: EngineDeadlines = { pingMs: 5_000, requestMs: 20_000, pull: DEFAULT_PULL_TIMEOUTS };

/** How many containers are inspected at once. */
const INSPECT_CONCURRENCY = 8;

async function mapConcurrently<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * How the engine is reached: `modem` for single requests (docker-modem's, or the light one over
 * node:http, see light-modem.ts), and dockerode itself, loaded on first use, for pulls, archives,
 * followed logs and events.
 */
export interface EngineConnection {
  modem: { dial(options: DockerModem.DialOptions, callback: (error: unknown, data: unknown) => void): void };
  docker(): Promise<Dockerode>;
}

export function dockerodeConnection(docker: Dockerode): EngineConnection {
  return { modem: docker.modem as EngineConnection['modem'], docker: () => Promise.resolve(docker) };
}

export class DockerodeEngine implements DockerEngine {
  private archives: VolumeArchives | undefined;

  constructor(
    private readonly connection: EngineConnection,
    readonly endpoint: string,
    private readonly deadlines: EngineDeadlines = DEFAULT_DEADLINES,
  ) {}

  private get volumeArchives(): Promise<VolumeArchives> {
    return this.connection.docker().then((docker) => (this.archives ??= new VolumeArchives(docker, this.endpoint, { requestMs: this.deadlines.requestMs, silenceMs: DEFAULT_ARCHIVE_SILENCE_MS })));
  }

  /** One engine request through the modem, abortable, with `statusCodes` deciding success. */
  private dial<T>(options: DockerModem.DialOptions, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.connection.modem.dial({ ...options, abortSignal: signal }, (error, data) => (error ? reject(error) : resolve(data as T)));
    });
  }

  private get<T>(path: string, query: Record<string, unknown> | undefined, signal: AbortSignal, extraCodes: Record<number, string> = {}): Promise<T> {
    return this.dial<T>(
      {
        path: query ? `${path}?` : path,
        method: 'GET',
        ...(query ? { options: query } : {}),
        statusCodes: { 200: true, 400: 'bad request', 404: 'not found', 500: 'server error', ...extraCodes },
      },
      signal,
    );
  }

  /** Runs one engine call under the request deadline; any failure becomes an OpenmatesError. */
  private async call<T>(action: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await withDeadline(this.deadlines.requestMs, run);
    } catch (error) {
      throw toEngineError(error, this.endpoint, action);
    }
  }

  async ping(): Promise<void> {
    try {
      await withDeadline(this.deadlines.pingMs, (signal) => this.get('/_ping', undefined, signal));
    } catch (error) {
      const unreachable = engineUnreachableError(error, this.endpoint);
      if (unreachable) throw unreachable;
      const http = engineHttpError(error);
      const reason = http
        ? http.statusCode === 404
          ? 'something answered, but it is not a Docker engine (HTTP 404 on /_ping)'
          : `it answered with an error (HTTP ${http.statusCode}: ${http.message})`
        : `the request failed (${error instanceof Error ? error.message : String(error)})`;
      throw new OpenmatesError(
        'engine-unreachable',
        `Cannot reach the Docker engine at ${this.endpoint}: ${reason}.`,
        'Check that DOCKER_HOST points at a Docker engine, and look at its log (`journalctl -u docker`).',
      );
    }
  }

  async info(): Promise<EngineInfo> {
    return this.call('report its version and resources', async (signal) => {
      const [info, version] = await Promise.all([
        this.get<{ ServerVersion?: string; Architecture?: string; MemTotal?: number; DockerRootDir?: string; Name?: string; SecurityOptions?: string[] | null }>('/info', undefined, signal),
        this.get<{ ApiVersion?: string; Version?: string }>('/version', undefined, signal),
      ]);
      return {
        serverVersion: info.ServerVersion ?? version.Version ?? 'unknown',
        apiVersion: version.ApiVersion ?? 'unknown',
        architecture: info.Architecture ?? 'unknown',
        memoryBytes: info.MemTotal ?? 0,
        dockerRootDir: info.DockerRootDir ?? '',
        hostName: info.Name ?? '',
        securityOptions: info.SecurityOptions ?? [],
      };
    });
  }

  private listContainers(filters: Record<string, string[]>, all: boolean, signal: AbortSignal): Promise<ListedContainer[]> {
    return this.get<ListedContainer[]>('/containers/json', { all, filters }, signal);
  }

  async projectContainers(project: string): Promise<ContainerSummary[]> {
    return this.call(`list the containers of project "${project}"`, async (signal) => {
      const listed = await this.listContainers({ label: [`${PROJECT_LABEL}=${project}`] }, true, signal);
      const summaries = await mapConcurrently(listed, INSPECT_CONCURRENCY, async (container) => {
        try {
          const inspected = await this.get<InspectedContainer>(`/containers/${encodeURIComponent(container.Id)}/json`, undefined, signal);
          return summarizeContainer(container, inspected);
        } catch (error) {
          // Removed between the list and the inspect: it is not part of the project any more.
          if (isNotFound(error)) return undefined;
          throw error;
        }
      });
      return summaries
        .filter((summary): summary is ContainerSummary => summary !== undefined)
        .sort((a, b) => byText(a.service, b.service) || byText(a.name, b.name));
    });
  }

  async allContainers(): Promise<ContainerBrief[]> {
    return this.call('list its containers', async (signal) => {
      const listed = await this.listContainers({}, true, signal);
      return listed.map(briefContainer).sort((a, b) => byText(a.name, b.name));
    });
  }

  async containersPublishingPort(port: number): Promise<{ name: string; project?: string }[]> {
    return this.call(`list the containers publishing port ${port}`, async (signal) => {
      // Only running containers hold a published port (a stopped one lists no Ports).
      const listed = await this.listContainers({}, false, signal);
      return listed
        .filter((container) => (container.Ports ?? []).some((p) => p.PublicPort === port))
        .map((container) => {
          const project = container.Labels?.[PROJECT_LABEL];
          return { name: withoutSlash(container.Names?.[0]), ...(project ? { project } : {}) };
        });
    });
  }

  socketGroupId(): Promise<number | undefined> {
    return dockerSocketGroupId(this.endpoint);
  }

  async containersNamed(names: string[]): Promise<NamedContainer[]> {
    if (names.length === 0) return [];
    return this.call(`look for containers named ${names.join(', ')}`, async (signal) => {
      // The engine's name filter matches parts of names: list them all and compare exactly.
      const listed = await this.listContainers({}, true, signal);
      const wanted = new Set(names);
      return listed.flatMap((container) => {
        const name = withoutSlash(container.Names?.find((candidate) => wanted.has(withoutSlash(candidate))));
        if (!name) return [];
        const project = container.Labels?.[PROJECT_LABEL];
        const service = container.Labels?.[SERVICE_LABEL];
        return [{ name, state: containerState(container.State), ...(project ? { project } : {}), ...(service ? { service } : {}) }];
      });
    });
  }

  async networkExists(name: string): Promise<boolean> {
    return this.call(`look up the network "${name}"`, async (signal) => {
      try {
        // GET /networks/<x> also matches an ID prefix: make sure it is the network by that name.
        const network = await this.get<{ Name?: string; Id?: string }>(`/networks/${encodeURIComponent(name)}`, undefined, signal);
        return network.Name === name || network.Id === name;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    });
  }

  async createNetwork(name: string): Promise<void> {
    await this.call(`create the network "${name}"`, async (signal) => {
      try {
        await this.dial(
          {
            path: '/networks/create?',
            method: 'POST',
            options: {
              Name: name,
              Driver: 'bridge',
              // Without it, engines before API 1.44 happily create a second network of the same name.
              CheckDuplicate: true,
              Labels: { [CREATED_BY_LABEL]: 'openmates' },
            },
            statusCodes: { 200: true, 201: true, 403: 'operation not supported', 404: 'plugin not found', 409: 'conflict', 500: 'server error' },
          },
          signal,
        );
      } catch (error) {
        if (engineHttpError(error)?.statusCode === 409) return;
        throw error;
      }
    });
  }

  async existingVolumes(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    return this.call('list volumes', async (signal) => {
      const result = await this.get<{ Volumes?: { Name: string }[] | null }>('/volumes', { filters: { name: names } }, signal);
      // The name filter matches substrings: keep exact matches only.
      const present = new Set((result.Volumes ?? []).map((volume) => volume.Name));
      return names.filter((name) => present.has(name));
    });
  }

  async imageExists(ref: string): Promise<boolean> {
    return this.call(`look up the image ${ref}`, async (signal) => {
      try {
        await this.get(`/images/${ref}/json`, undefined, signal);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    });
  }

  pullImage(ref: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    return this.connection.docker().then((docker) => pullImage(docker, this.endpoint, ref, onProgress, signal, this.deadlines.pull));
  }

  watchContainerEvents(project: string, onEvent: (event: ContainerEvent) => void, signal: AbortSignal, actions?: readonly string[]): Promise<void> {
    return this.connection.docker().then((docker) => watchContainerEvents(docker, this.endpoint, project, onEvent, signal, actions));
  }

  async containerLogTail(id: string, lines: number): Promise<string[]> {
    const count = Math.max(0, Math.floor(lines));
    return this.call(`read the log of container ${id}`, async (signal) => {
      const path = `/containers/${encodeURIComponent(id)}`;
      const inspected = await this.get<InspectedContainer>(`${path}/json`, undefined, signal);
      const stream = await this.dial<NodeJS.ReadableStream>(
        {
          path: `${path}/logs?`,
          method: 'GET',
          options: { stdout: true, stderr: true, follow: false, tail: count },
          // As a stream: dockerode's buffered mode JSON.parses the body when it happens to be JSON.
          isStream: true,
          statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        },
        signal,
      );
      return readLogLines(stream, inspected.Config?.Tty !== true, count);
    });
  }

  async projectVolumes(project: string): Promise<string[]> {
    return this.call(`list the volumes of project "${project}"`, async (signal) => {
      const result = await this.get<{ Volumes?: { Name: string; Labels?: Record<string, string> | null }[] | null }>(
        '/volumes',
        { filters: { label: [`${PROJECT_LABEL}=${project}`] } },
        signal,
      );
      // Only an exact label value counts, whatever the engine's filter does.
      return (result.Volumes ?? []).filter((volume) => volume.Labels?.[PROJECT_LABEL] === project).map((volume) => volume.Name);
    });
  }

  async networkDetails(name: string): Promise<{ createdByOpenmates: boolean; containers: string[] } | undefined> {
    return this.call(`look up the network "${name}"`, async (signal) => {
      try {
        const network = await this.get<{ Name?: string; Labels?: Record<string, string> | null; Containers?: Record<string, { Name?: string }> | null }>(
          `/networks/${encodeURIComponent(name)}`,
          undefined,
          signal,
        );
        if (network.Name !== name) return undefined;
        return {
          createdByOpenmates: network.Labels?.[CREATED_BY_LABEL] === 'openmates',
          containers: Object.entries(network.Containers ?? {}).map(([id, container]) => container.Name ?? id.slice(0, 12)),
        };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  removeNetwork(name: string): Promise<'removed' | 'has-active-endpoints'> {
    return this.call(`remove the network "${name}"`, async (signal) => {
      try {
        await this.dial(
          { path: `/networks/${encodeURIComponent(name)}`, method: 'DELETE', statusCodes: { 204: true, 200: true, 403: 'operation not supported', 404: 'no such network', 409: 'network is in use', 500: 'server error' } },
          signal,
        );
      } catch (error) {
        if (isNotFound(error)) return 'removed';
        if (/has active endpoints/.test(engineHttpError(error)?.message ?? '')) return 'has-active-endpoints';
        throw error;
      }
      return 'removed';
    });
  }

  // Volumes and archives (backups and restore): see volume-archives.ts.
  inspectVolume(name: string): Promise<VolumeDetails | undefined> {
    return this.volumeArchives.then((archives) => archives.inspectVolume(name));
  }

  createVolume(volume: Omit<VolumeDetails, 'mountpoint'>): Promise<void> {
    return this.volumeArchives.then((archives) => archives.createVolume(volume));
  }

  removeVolume(name: string): Promise<void> {
    return this.volumeArchives.then((archives) => archives.removeVolume(name));
  }

  containersUsingVolume(name: string): Promise<VolumeUser[]> {
    return this.volumeArchives.then((archives) => archives.containersUsingVolume(name));
  }

  createHelperContainer(options: HelperContainerOptions): Promise<string> {
    return this.volumeArchives.then((archives) => archives.createHelperContainer(options));
  }

  removeContainer(id: string): Promise<void> {
    return this.volumeArchives.then((archives) => archives.removeContainer(id));
  }

  containersWithLabel(key: string, value: string): Promise<string[]> {
    return this.volumeArchives.then((archives) => archives.containersWithLabel(key, value));
  }

  getArchive(containerId: string, path: string, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    return this.volumeArchives.then((archives) => archives.getArchive(containerId, path, signal));
  }

  putArchive(containerId: string, path: string, tar: NodeJS.ReadableStream, signal?: AbortSignal): Promise<void> {
    return this.volumeArchives.then((archives) => archives.putArchive(containerId, path, tar, signal));
  }

  async imageSizes(refs: string[]): Promise<Record<string, number>> {
    const sizes: Record<string, number> = {};
    await mapConcurrently(refs, INSPECT_CONCURRENCY, async (ref) => {
      await this.call(`look up the image ${ref}`, async (signal) => {
        try {
          const image = await this.get<{ Size?: number }>(`/images/${ref}/json`, undefined, signal);
          if (typeof image.Size === 'number') sizes[ref] = image.Size;
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      });
    });
    return sizes;
  }

  async containerSummary(id: string): Promise<ContainerSummary | undefined> {
    return this.call(`inspect container ${id}`, async (signal) => {
      try {
        return summaryFromInspect(await this.get<InspectedWithPorts>(`/containers/${encodeURIComponent(id)}/json`, undefined, signal));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async containerStats(id: string, signal?: AbortSignal): Promise<ContainerStats | undefined> {
    try {
      const raw = await withDeadline(this.deadlines.requestMs, (deadline) => this.get<RawStats>(`/containers/${encodeURIComponent(id)}/stats`, { stream: false }, deadline), signal);
      // A container that is not running answers with an empty frame read at the zero time.
      if (!raw.read || raw.read.startsWith('0001-')) return undefined;
      return toContainerStats(raw);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toEngineError(error, this.endpoint, `sample the CPU and memory of container ${id}`);
    }
  }

  async volumeSizes(names: string[]): Promise<VolumeSize[]> {
    const existing = await this.existingVolumes(names);
    if (existing.length === 0) return [];
    let sizes = new Map<string, number>();
    try {
      // type=volume (API 1.42+) spares the engine measuring images and containers; older ones ignore it.
      const usage = await withDeadline(this.deadlines.requestMs, (signal) =>
        this.get<{ Volumes?: { Name: string; UsageData?: { Size?: number } | null }[] | null }>('/system/df', { type: 'volume' }, signal),
      );
      sizes = new Map((usage.Volumes ?? []).filter((v) => typeof v.UsageData?.Size === 'number' && v.UsageData.Size >= 0).map((v) => [v.Name, v.UsageData!.Size!]));
    } catch {
      // Sizes are a courtesy: without them the volumes are still listed.
    }
    return existing.map((name) => (sizes.has(name) ? { name, sizeBytes: sizes.get(name)! } : { name }));
  }

  async removeVolumes(names: string[]): Promise<string[]> {
    const removed: string[] = [];
    for (const name of names) {
      const gone = await this.call(`remove the volume "${name}"`, async (signal) => {
        try {
          await this.dial(
            {
              path: `/volumes/${encodeURIComponent(name)}`,
              method: 'DELETE',
              statusCodes: { 204: true, 404: 'no such volume', 409: 'volume is in use', 500: 'server error' },
            },
            signal,
          );
          return true;
        } catch (error) {
          const http = engineHttpError(error);
          if (http?.statusCode === 404) return false;
          if (http?.statusCode === 409) {
            throw new OpenmatesError(
              'operation-failed',
              `The volume ${name} is still used by a container, so it was kept (${http.message}).`,
              'Stop or remove the container that uses it (`docker ps -a --filter volume=' + name + '`), then try again.',
            );
          }
          throw error;
        }
      });
      if (gone) removed.push(name);
    }
    return removed;
  }

  followContainerLog(id: string, options: ContainerLogOptions, onLines: (lines: ContainerLogLine[]) => void | Promise<void>, signal: AbortSignal): Promise<void> {
    return this.connection.docker().then((docker) => followContainerLog(docker, this.endpoint, this.deadlines.requestMs, id, options, onLines, signal));
  }
}
