import { EventEmitter } from 'node:events';
import type { RunContainer, RunEngine } from '../../src/core/runs/index.js';
import { runContainerName } from '../../src/core/runs/index.js';
import { RUN_LABEL } from '../../src/core/runs/run-labels.js';

interface FakeRun {
  container: RunContainer;
  output: Buffer[];
}

/** A RunEngine in memory for screen tests: runs added by the test, output written and ended by it; it records what the screen asked. */
export class FakeRunEngine implements RunEngine {
  readonly endpoint = 'unix:///fake/docker.sock';
  readonly calls: string[] = [];
  private readonly runs = new Map<string, FakeRun>();
  private readonly events = new EventEmitter();

  add(id: string, options: { command: string[]; state?: RunContainer['state']; exitCode?: number; createdAt: string; repo?: string; branch?: string }): void {
    const container: RunContainer = {
      id: `c-${id}`,
      name: runContainerName(id),
      labels: {
        [RUN_LABEL]: id,
        'openmates.run.command': JSON.stringify(options.command),
        'openmates.run.repo': options.repo ?? '/srv/git/project.git',
        'openmates.run.branch': options.branch ?? 'main',
        'openmates.run.image': 'node:20',
        'openmates.run.deadline': new Date(Date.now() + 3_600_000).toISOString(),
        'openmates.run.network': 'none',
      },
      state: options.state ?? 'running',
      exitCode: options.exitCode ?? 0,
      createdAt: options.createdAt,
      startedAt: options.createdAt,
      ...(options.state === 'exited' ? { finishedAt: new Date(Date.parse(options.createdAt) + 4200).toISOString() } : {}),
    };
    this.runs.set(container.id, { container, output: [] });
  }

  write(id: string, text: string): void {
    const run = this.runs.get(`c-${id}`)!;
    run.output.push(Buffer.from(text));
    this.events.emit(`output:${run.container.id}`, Buffer.from(text));
  }

  end(id: string, exitCode: number): void {
    const run = this.runs.get(`c-${id}`)!;
    run.container = { ...run.container, state: 'exited', exitCode, finishedAt: new Date().toISOString() };
    this.events.emit(`end:${run.container.id}`);
  }

  async imageExists(): Promise<boolean> {
    return true;
  }
  async pullImage(): Promise<void> {}
  async imageUsers(): Promise<{ configured: string; passwd: string }> {
    return { configured: '', passwd: '' };
  }
  async create(): Promise<string> {
    throw new Error('the fake engine starts no runs');
  }
  async putArchive(): Promise<void> {}
  async start(): Promise<void> {}

  async list(): Promise<RunContainer[]> {
    this.calls.push('list');
    return [...this.runs.values()].map((run) => run.container).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async inspect(idOrName: string): Promise<RunContainer | undefined> {
    return [...this.runs.values()].find((run) => run.container.id === idOrName || run.container.name === idOrName)?.container;
  }

  async rename(id: string, name: string): Promise<void> {
    this.calls.push(`rename ${id} ${name}`);
    const run = this.runs.get(id)!;
    run.container = { ...run.container, name };
  }

  async kill(id: string): Promise<void> {
    this.calls.push(`kill ${id}`);
    if (this.runs.get(id)!.container.state === 'running') this.end(id.replace(/^c-/, ''), 137);
  }

  async remove(id: string): Promise<void> {
    this.calls.push(`remove ${id}`);
    this.runs.delete(id);
  }

  wait(id: string): Promise<number> {
    const run = this.runs.get(id)!;
    if (run.container.state === 'exited') return Promise.resolve(run.container.exitCode);
    return new Promise((resolve) => this.events.once(`end:${id}`, () => resolve(this.runs.get(id)!.container.exitCode)));
  }

  async logs(id: string, options: { follow: boolean; signal?: AbortSignal }, onOutput: (stream: 'stdout' | 'stderr', bytes: Buffer) => void): Promise<void> {
    this.calls.push(`logs ${id}${options.follow ? ' -f' : ''}`);
    const run = this.runs.get(id)!;
    for (const chunk of run.output) onOutput('stdout', chunk);
    if (!options.follow || run.container.state === 'exited') return;
    await new Promise<void>((resolve) => {
      const onChunk = (bytes: Buffer) => onOutput('stdout', bytes);
      const done = () => {
        this.events.off(`output:${id}`, onChunk);
        this.events.off(`end:${id}`, done);
        resolve();
      };
      this.events.on(`output:${id}`, onChunk);
      this.events.once(`end:${id}`, done);
      options.signal?.addEventListener('abort', done, { once: true });
    });
  }
}
