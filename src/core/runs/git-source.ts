import { isAbsolute, resolve } from 'node:path';
import { execa } from 'execa';
import { OpenmatesError } from '../errors.js';

/**
 * The repository a run gets a copy of, through Debian's git on the host (the image needs none).
 * A token (GIT_TOKEN or the credentials file) reaches git through its environment and a
 * credential helper that reads it from there: never in an argument, a URL, a label or a message.
 */
const TOKEN_VARIABLE = 'OPENMATES_GIT_TOKEN';
const CREDENTIAL_HELPER = `!f() { test "$1" = get && echo username=x-access-token && echo "password=$${TOKEN_VARIABLE}"; }; f`;

/** A URL without any user or password in it; a local path as an absolute path. */
export function displayRepo(repo: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo)) {
    try {
      const url = new URL(repo);
      url.username = '';
      url.password = '';
      return url.toString().replace(/\/$/, '');
    } catch {
      return repo.replace(/\/\/[^@/]*@/, '//');
    }
  }
  if (/^[^/]+@[^:]+:/.test(repo)) return repo; // scp-like ssh (git@host:path): the user is not a secret
  return isAbsolute(repo) ? repo : resolve(cwd, repo);
}

/** What git is given: a local path as file:// (so --depth works), anything else as it is. */
function cloneUrl(repo: string): string {
  return isAbsolute(repo) ? `file://${repo}` : repo;
}

function gitEnv(token: string | undefined): Record<string, string> {
  return { GIT_TERMINAL_PROMPT: '0', ...(token ? { [TOKEN_VARIABLE]: token } : {}) };
}

function gitArgs(token: string | undefined): string[] {
  return token ? ['-c', 'credential.helper=', '-c', `credential.helper=${CREDENTIAL_HELPER}`] : [];
}

function scrub(text: string, token: string | undefined): string {
  const cleaned = text.trim().split('\n').filter((line) => line && !line.startsWith('hint:')).slice(-3).join(' ');
  return token ? cleaned.split(token).join('<GIT_TOKEN>') : cleaned;
}

/** The current folder's git remote (origin) and branch, when it is a git work tree. */
export async function gitOrigin(cwd: string): Promise<{ repo?: string; branch?: string; topLevel?: string }> {
  const git = (args: string[]) => execa('git', ['-C', cwd, ...args], { reject: false, stdin: 'ignore' });
  const top = await git(['rev-parse', '--show-toplevel']).catch(() => undefined);
  if (!top || top.exitCode !== 0) return {};
  const [remote, branch] = await Promise.all([git(['remote', 'get-url', 'origin']), git(['symbolic-ref', '--quiet', '--short', 'HEAD'])]);
  return {
    topLevel: top.stdout.trim(),
    ...(remote.exitCode === 0 && remote.stdout.trim() ? { repo: remote.stdout.trim() } : {}),
    ...(branch.exitCode === 0 && branch.stdout.trim() ? { branch: branch.stdout.trim() } : {}),
  };
}

/** Fails (before anything starts) when the repository cannot be reached or has no such branch. */
export async function checkBranch(repo: string, branch: string, token: string | undefined, signal?: AbortSignal): Promise<void> {
  const shown = displayRepo(repo, process.cwd());
  const listed = await execa('git', [...gitArgs(token), 'ls-remote', '--heads', '--tags', cloneUrl(repo), branch], { env: gitEnv(token), reject: false, stdin: 'ignore', ...(signal ? { cancelSignal: signal } : {}) }).catch((error: unknown) => {
    throw gitMissing(error);
  });
  if (listed.exitCode !== 0) {
    throw new OpenmatesError('usage', `Cannot read the repository ${shown}: ${scrub(listed.stderr, token)}.`, 'check --repo (a URL or a local path); for a private repository set GIT_TOKEN');
  }
  const refs = listed.stdout.split('\n').map((line) => line.split('\t')[1] ?? '');
  if (!refs.includes(`refs/heads/${branch}`) && !refs.includes(`refs/tags/${branch}`)) {
    throw new OpenmatesError('usage', `The repository ${shown} has no branch ${branch}.`, 'pass an existing branch with --branch (`git ls-remote --heads` lists them)');
  }
}

/** A shallow copy of `branch` in `dest` (which must not exist yet). */
export async function cloneBranch(repo: string, branch: string, dest: string, token: string | undefined, signal?: AbortSignal): Promise<void> {
  const cloned = await execa('git', [...gitArgs(token), 'clone', '--quiet', '--depth', '1', '--branch', branch, '--single-branch', cloneUrl(repo), dest], {
    env: gitEnv(token),
    reject: false,
    stdin: 'ignore',
    ...(signal ? { cancelSignal: signal } : {}),
  }).catch((error: unknown) => {
    throw gitMissing(error);
  });
  if (cloned.exitCode !== 0) {
    throw new OpenmatesError('operation-failed', `Cloning ${displayRepo(repo, process.cwd())} at ${branch} failed: ${scrub(cloned.stderr, token)}.`, 'check the repository and branch, and GIT_TOKEN for a private one');
  }
}

function gitMissing(error: unknown): OpenmatesError {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return new OpenmatesError('preflight', 'git is not installed on this server; runs clone their repository with it.', 'install it: apt-get install git');
  return new OpenmatesError('operation-failed', `git failed: ${(error as Error).message}.`);
}
