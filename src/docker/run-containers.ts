/**
 * RunEngine (src/core/runs/run-engine.ts) over dockerode: the containers of isolated runs.
 * Image lookups and pulls go through DockerodeEngine (their deadlines and error texts).
 */
import type Dockerode from 'dockerode';
import type { CreateRunContainer, RunContainer, RunEngine } from '../core/runs/run-engine.js';
import { RUN_LABEL } from '../core/runs/run-labels.js';
import { connectDockerode } from './connect.js';
import { FrameDemuxer } from './demux.js';
import { DockerodeEngine, dockerodeConnection } from './dockerode-engine.js';
import { engineHttpError, isNotFound, toEngineError } from './engine-errors.js';
import { ImageUsersCache } from './image-users-cache.js';
import { firstFileOfTar } from './tar-file.js';
import { byText } from '../core/text-order.js';

type Env = Record<string, string | undefined>;

export async function connectRunEngine(env: Env = process.env): Promise<RunEngine> {
  const { docker, endpoint } = await connectDockerode(env);
  return new DockerRunEngine(docker, endpoint, new DockerodeEngine(dockerodeConnection(docker), endpoint), ImageUsersCache.forEnv(env));
}

class DockerRunEngine implements RunEngine {
  constructor(
    private readonly docker: Dockerode,
    readonly endpoint: string,
    private readonly engine: DockerodeEngine,
    private readonly usersCache: ImageUsersCache,
  ) {}

  private async call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toEngineError(error, this.endpoint, action);
    }
  }

  async ping(): Promise<void> {
    await this.engine.ping();
  }

  imageExists(image: string): Promise<boolean> {
    return this.engine.imageExists(image);
  }

  pullImage(image: string, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<void> {
    return this.engine.pullImage(image, (progress) => onProgress(progress.bytesDone, progress.bytesTotal), signal);
  }

  async imageUsers(image: string): Promise<{ configured: string; passwd: string }> {
    const inspected = await this.call(`inspect the image ${image}`, () => this.docker.getImage(image).inspect());
    const cached = await this.usersCache.get(inspected.Id);
    if (cached) return cached;
    const users = await this.probeUsers(image, inspected.Config?.User ?? '');
    await this.usersCache.set(inspected.Id, users);
    return users;
  }

  private async probeUsers(image: string, configured: string): Promise<{ configured: string; passwd: string }> {
    // A container is created (never started) only to read the image's /etc/passwd.
    const probe = await this.call(`create a container from ${image}`, () => this.docker.createContainer({ Image: image, Cmd: ['true'], Entrypoint: [], Labels: { [`${RUN_LABEL}.probe`]: '1' }, HostConfig: { NetworkMode: 'none' } }));
    try {
      const archive = (await probe.getArchive({ path: '/etc/passwd' })) as NodeJS.ReadableStream;
      const chunks: Buffer[] = [];
      for await (const chunk of archive) chunks.push(Buffer.from(chunk as Buffer));
      return { configured, passwd: firstFileOfTar(Buffer.concat(chunks))?.toString('utf8') ?? '' };
    } catch (error) {
      if (isNotFound(error)) return { configured, passwd: '' };
      throw toEngineError(error, this.endpoint, `read /etc/passwd of ${image}`);
    } finally {
      await probe.remove({ force: true }).catch(() => undefined);
    }
  }

  async create(options: CreateRunContainer): Promise<string> {
    const container = await this.call(`create the run container from ${options.image}`, () =>
      this.docker.createContainer({
        name: options.name,
        Image: options.image,
        Cmd: options.command,
        Env: Object.entries(options.env).map(([name, value]) => `${name}=${value}`),
        Labels: options.labels,
        WorkingDir: options.workingDir,
        ...(options.user ? { User: options.user } : {}),
        Tty: false,
        AttachStdin: false,
        OpenStdin: false,
        HostConfig: {
          NetworkMode: options.network,
          NanoCpus: Math.round(options.cpus * 1e9),
          Memory: options.memoryBytes,
          MemorySwap: options.memoryBytes,
          PidsLimit: 1024,
          Privileged: false,
          SecurityOpt: ['no-new-privileges'],
          Binds: [],
          AutoRemove: false,
          Init: true,
        },
      }),
    );
    return container.id;
  }

  putArchive(id: string, tar: NodeJS.ReadableStream): Promise<void> {
    return this.call('copy the repository into the run container', async () => {
      await this.docker.getContainer(id).putArchive(tar as never, { path: '/' });
    });
  }

  start(id: string): Promise<void> {
    return this.call('start the run container', async () => void (await this.docker.getContainer(id).start()));
  }

  async list(): Promise<RunContainer[]> {
    const listed = await this.call('list the runs', () => this.docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } }));
    const found = await Promise.all(listed.map((container) => this.inspect(container.Id)));
    return found.filter((container): container is RunContainer => container !== undefined).sort((a, b) => byText(b.createdAt, a.createdAt));
  }

  async inspect(idOrName: string): Promise<RunContainer | undefined> {
    try {
      const inspected = await this.docker.getContainer(idOrName).inspect();
      return {
        id: inspected.Id,
        name: inspected.Name.replace(/^\//, ''),
        labels: inspected.Config.Labels ?? {},
        state: inspected.State.Status as RunContainer['state'],
        exitCode: inspected.State.ExitCode,
        createdAt: inspected.Created,
        startedAt: inspected.State.StartedAt,
        finishedAt: inspected.State.FinishedAt,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toEngineError(error, this.endpoint, `inspect the run container ${idOrName}`);
    }
  }

  rename(id: string, name: string): Promise<void> {
    return this.call('mark the run', async () => void (await this.docker.getContainer(id).rename({ name })));
  }

  async kill(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).kill({ signal: 'SIGKILL' });
    } catch (error) {
      const status = engineHttpError(error)?.statusCode;
      if (status === 404 || status === 409) return; // gone, or not running any more
      throw toEngineError(error, this.endpoint, 'stop the run container');
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true });
    } catch (error) {
      if (isNotFound(error)) return;
      throw toEngineError(error, this.endpoint, 'remove the run container');
    }
  }

  wait(id: string, signal?: AbortSignal): Promise<number> {
    return this.call('wait for the run', async () => {
      const result = (await this.docker.getContainer(id).wait({ abortSignal: signal } as never)) as unknown as { StatusCode: number };
      return result.StatusCode;
    });
  }

  logs(id: string, options: { follow: boolean; signal?: AbortSignal }, onOutput: (stream: 'stdout' | 'stderr', bytes: Buffer) => void): Promise<void> {
    return this.call('read the run\'s output', async () => {
      const container = this.docker.getContainer(id);
      const demuxer = new FrameDemuxer();
      const emit = (frames: ReturnType<FrameDemuxer['push']>) => {
        for (const frame of frames) if (frame.stream !== 'stdin') onOutput(frame.stream, frame.payload);
      };
      if (!options.follow) {
        const buffer = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
        emit(demuxer.push(buffer));
        emit(demuxer.end());
        return;
      }
      const stream = (await container.logs({ stdout: true, stderr: true, follow: true, abortSignal: options.signal } as never)) as unknown as NodeJS.ReadableStream;
      await new Promise<void>((resolve, reject) => {
        const stop = () => {
          (stream as { destroy?: () => void }).destroy?.();
          resolve();
        };
        options.signal?.addEventListener('abort', stop, { once: true });
        stream.on('data', (chunk: Buffer) => emit(demuxer.push(chunk)));
        stream.on('end', () => {
          emit(demuxer.end());
          options.signal?.removeEventListener('abort', stop);
          resolve();
        });
        stream.on('error', (error: Error) => (options.signal?.aborted ? resolve() : reject(error)));
      });
    });
  }
}
