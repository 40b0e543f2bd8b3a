import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { OpenmatesError } from '../errors.js';
import { checkBranch, cloneBranch } from './git-source.js';
import type { RunEngine } from './run-engine.js';
import { runContainerName, runInfo, runLabels } from './run-labels.js';
import type { RunInfo, RunRequest } from './run-types.js';
import { chooseRunUser } from './run-user.js';

export const WORKSPACE = '/workspace';

export type RunProgress =
  | { step: 'check' | 'clone' | 'copy' | 'start' }
  | { step: 'pull'; image: string; bytesDone: number; bytesTotal: number };

export interface StartRunOptions {
  /** GIT_TOKEN or the credentials file's token, for a private repository. */
  token?: string;
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
}

/**
 * Starts a run: the branch is cloned on the host while the image is looked up (a missing
 * repository, branch or image fails before any container exists), the image pulled when it is
 * not here, the copy put into a created container (owned by the user the command runs as), and the
 * container started. Whatever fails on the way leaves nothing behind.
 */
export async function startRun(engine: RunEngine, request: RunRequest, options: StartRunOptions = {}): Promise<RunInfo> {
  const progress = options.onProgress ?? (() => {});
  progress({ step: 'check' });
  const id = randomBytes(4).toString('hex');
  const scratch = await mkdtemp(join(tmpdir(), `openmates-run-${id}-`));
  let containerId: string | undefined;
  let cleaning: Promise<void> | undefined;
  try {
    const present = engine.imageExists(request.image);
    // The image's users are read while the branch is cloned (a probe container, created and removed).
    const earlyUsers = present.then((here) => (here ? engine.imageUsers(request.image) : undefined));
    earlyUsers.catch(() => undefined);
    // The clone is the check of the repository and branch; when it fails, ls-remote says which is wrong.
    progress({ step: 'clone' });
    const cloning = cloneBranch(request.repo, request.branch, join(scratch, 'repo'), options.token, options.signal).catch(async (error: unknown) => {
      await checkBranch(request.repo, request.branch, options.token, options.signal);
      throw error;
    });
    try {
      await Promise.all([cloning, present]);
    } catch (error) {
      await Promise.allSettled([cloning, earlyUsers]);
      throw error;
    }
    if (!(await present)) {
      progress({ step: 'pull', image: request.image, bytesDone: 0, bytesTotal: 0 });
      await engine.pullImage(request.image, (bytesDone, bytesTotal) => progress({ step: 'pull', image: request.image, bytesDone, bytesTotal }), options.signal).catch((error: unknown) => {
        throw new OpenmatesError((error as OpenmatesError).kind === 'interrupted' ? 'interrupted' : 'usage', `The image ${request.image} is not on this server and could not be pulled: ${(error as Error).message}`, 'check the image name (and `docker login` for a private registry)');
      });
    }
    const users = (await earlyUsers) ?? (await engine.imageUsers(request.image));
    const user = chooseRunUser(users);
    const deadline = new Date(Date.now() + request.timeoutSeconds * 1000);
    containerId = await engine.create({
      name: runContainerName(id),
      image: request.image,
      command: request.command,
      env: request.env,
      labels: runLabels(id, request, deadline),
      workingDir: WORKSPACE,
      ...(user.user ? { user: user.user } : {}),
      cpus: request.cpus,
      memoryBytes: request.memoryBytes,
      network: request.network,
    });
    progress({ step: 'copy' });
    await copyInto(engine, containerId, join(scratch, 'repo'), user);
    // The clone is not needed once copied: removed while the container starts, so a CLI killed
    // from here on (kill -9 once the run is going) leaves no copy of the repository in /tmp.
    cleaning = rm(scratch, { recursive: true, force: true });
    cleaning.catch(() => undefined);
    options.signal?.throwIfAborted();
    progress({ step: 'start' });
    await engine.start(containerId);
    const started = await engine.inspect(containerId);
    if (!started) throw new OpenmatesError('operation-failed', `The run container ${runContainerName(id)} was removed as it started.`);
    return runInfo(started);
  } catch (error) {
    if (containerId) await engine.remove(containerId).catch(() => undefined);
    if (options.signal?.aborted) throw new OpenmatesError('interrupted', 'The run was cancelled before it started; nothing was left behind.');
    throw error;
  } finally {
    await (cleaning ?? rm(scratch, { recursive: true, force: true }));
  }
}

/** The clone as a tar stream (the host's tar: fast, and it sets the owner) into /workspace of the created container. */
async function copyInto(engine: RunEngine, containerId: string, dir: string, user: { uid: number; gid: number }): Promise<void> {
  const tar = execa('tar', ['-C', dir, '--numeric-owner', `--owner=${user.uid}`, `--group=${user.gid}`, '--transform', `s,^\\.,${WORKSPACE.slice(1)},`, '-cf', '-', '.'], { stdin: 'ignore', buffer: false, reject: false });
  await Promise.all([
    engine.putArchive(containerId, tar.stdout!),
    tar.then((result) => {
      if (result.exitCode !== 0) throw new OpenmatesError('operation-failed', `Packing the repository for the run failed: ${String(result.stderr).trim()}.`);
    }),
  ]);
}
