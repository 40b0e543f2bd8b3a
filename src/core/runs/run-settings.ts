import { OpenmatesError } from '../errors.js';
import { displayRepo, gitOrigin } from './git-source.js';
import { RUN_FILE, readRunFile } from './run-file.js';
import { RUN_DEFAULTS, type RunNetwork, type RunRequest } from './run-types.js';

/** What `openmates run` was given on its command line. */
export interface RunFlags {
  command: string[];
  repo?: string;
  branch?: string;
  image?: string;
  env: Record<string, string>;
  timeoutSeconds?: number;
  cpus?: number;
  memoryBytes?: number;
  network?: RunNetwork;
}

export type SettingSource = 'flag' | typeof RUN_FILE | 'git remote' | 'git branch' | 'this folder' | 'default';

export interface ResolvedRun {
  request: RunRequest;
  /** Where each setting came from, for the first lines of `run`. */
  sources: { repo: SettingSource; branch: SettingSource; image: SettingSource; timeout: SettingSource };
}

/** Flags first, then the folder's .openmates-run.yaml, then its git remote and branch; else an error saying what to pass. */
export async function resolveRunSettings(flags: RunFlags, cwd: string): Promise<ResolvedRun> {
  const file = (await readRunFile(cwd)) ?? {};
  const needsGit = flags.repo === undefined && file.repo === undefined || flags.branch === undefined && file.branch === undefined;
  const git = needsGit ? await gitOrigin(cwd) : {};
  const pick = <T>(flag: T | undefined, fromFile: T | undefined, fromGit: T | undefined, gitSource: SettingSource): [T | undefined, SettingSource] =>
    flag !== undefined ? [flag, 'flag'] : fromFile !== undefined ? [fromFile, RUN_FILE] : [fromGit, gitSource];
  // A work tree without a remote runs its own committed branch.
  const [repo, repoSource] = pick(flags.repo, file.repo, git.repo ?? git.topLevel, git.repo ? 'git remote' : 'this folder');
  const [branch, branchSource] = pick(flags.branch, file.branch, git.branch, 'git branch');
  const [image, imageSource] = pick(flags.image, file.image, undefined, 'default');
  if (repo === undefined) throw new OpenmatesError('usage', `No repository to run from: ${cwd} is not a git work tree and has no ${RUN_FILE}.`, `pass --repo URL|PATH (and --branch), or write ${RUN_FILE} with \`openmates runs init\``);
  if (branch === undefined) throw new OpenmatesError('usage', `No branch to run: ${flags.repo ?? file.repo ? 'the repository was given without one' : `${cwd} is on no branch (a detached HEAD)`}.`, `pass --branch NAME, or set branch in ${RUN_FILE}`);
  if (image === undefined) throw new OpenmatesError('usage', 'No image to run in.', `pass --image IMAGE (e.g. --image node:20), or set image in ${RUN_FILE} (\`openmates runs init\` writes one)`);
  if (flags.command.length === 0) throw new OpenmatesError('usage', 'Usage: openmates run [options] -- COMMAND...', 'put the command after --, e.g. openmates run --image node:20 -- npm test');
  const timeoutSeconds = flags.timeoutSeconds ?? file.timeout;
  return {
    request: {
      command: flags.command,
      repo: displayRepo(repo, cwd),
      branch,
      image,
      env: { ...file.env, ...flags.env },
      timeoutSeconds: timeoutSeconds ?? RUN_DEFAULTS.timeoutSeconds,
      cpus: flags.cpus ?? RUN_DEFAULTS.cpus,
      memoryBytes: flags.memoryBytes ?? RUN_DEFAULTS.memoryBytes,
      network: flags.network ?? RUN_DEFAULTS.network,
    },
    sources: {
      repo: repoSource,
      branch: branchSource,
      image: imageSource,
      timeout: flags.timeoutSeconds !== undefined ? 'flag' : file.timeout !== undefined ? RUN_FILE : 'default',
    },
  };
}
