import type { RunNetwork } from './run-types.js';

/** A run's container as the engine has it: its labels carry the run, its name its final mark. */
export interface RunContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  exitCode: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface CreateRunContainer {
  name: string;
  image: string;
  command: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  workingDir: string;
  user?: string;
  cpus: number;
  memoryBytes: number;
  network: RunNetwork;
}

/** What runs need of the Docker engine (src/docker/run-containers.ts); unit tests fake it. */
export interface RunEngine {
  readonly endpoint: string;
  imageExists(image: string): Promise<boolean>;
  pullImage(image: string, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<void>;
  /** The image's configured user ("" when none) and its /etc/passwd (empty when it has none). */
  imageUsers(image: string): Promise<{ configured: string; passwd: string }>;
  create(options: CreateRunContainer): Promise<string>;
  /** Extracts a tar stream at `/` of a created container. */
  putArchive(id: string, tar: NodeJS.ReadableStream): Promise<void>;
  start(id: string): Promise<void>;
  /** Every run container (label openmates.run), newest first. */
  list(): Promise<RunContainer[]>;
  inspect(idOrName: string): Promise<RunContainer | undefined>;
  rename(id: string, name: string): Promise<void>;
  kill(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Resolves with the exit code once the container has stopped. */
  wait(id: string, signal?: AbortSignal): Promise<number>;
  /** stdout and stderr as written, from the start; with `follow` until it stops (or the signal). */
  logs(id: string, options: { follow: boolean; signal?: AbortSignal }, onOutput: (stream: 'stdout' | 'stderr', bytes: Buffer) => void): Promise<void>;
}
