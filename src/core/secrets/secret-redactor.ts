/**
 * The agent's redactor: the known secrets from every source, kept current. On use it compares the
 * source files' signatures (a few stats, at most every CHECK_EVERY_MS) and rebuilds the matcher
 * when one changed, so a new `.env` value is covered without a restart. The roots are walked for
 * `.env` files once at the start (synchronously), then in the background every ROOT_WALK_EVERY_MS
 * and after `rootsChanged()`; a `.env` file the agent itself wrote is added at once (`fileWritten`).
 */
import { findRootEnvFiles, findRootEnvFilesInBackground, isRootEnvFile } from './find-root-env-files.js';
import type { KnownSecret } from './known-secret.js';
import type { Redactor } from './redactor.js';
import { buildMatcher, type SecretMatcher } from './secret-matcher.js';
import { agentEnvSecrets, fileSignature, installEnvSecrets, installSecretFiles, loginSecrets, rootEnvSecrets } from './secret-sources.js';
import { createStreamRedactor } from './stream-redactor.js';

const CHECK_EVERY_MS = 250;
const ROOT_WALK_EVERY_MS = 10_000;

export interface SecretRedactorOptions {
  installDir: string;
  roots: string[];
  /** The agent's environment. */
  env: NodeJS.ProcessEnv;
  /** `openmates login`'s session file (sessionFilePath()). */
  sessionFile: string;
  now?: () => number;
}

export interface SecretRedactor extends Redactor {
  /** Files in the roots may have been created or renamed (a command, a move): walks them again in the background; resolves when done. */
  rootsChanged(): Promise<void>;
  /** A file was written at this real path: a `.env` file there is known from now on. */
  fileWritten(path: string): void;
  /** How many distinct forms of known secrets are matched (for tests and the live view). */
  knownForms(): number;
}

export function createSecretRedactor(options: SecretRedactorOptions): SecretRedactor {
  const now = options.now ?? Date.now;
  const agentEnv = agentEnvSecrets(options.env);
  let rootFiles: string[] = [];
  let walkedAt = now();
  let walking: Promise<void> | undefined;
  let checkedAt = -Infinity;
  let signatures = '';
  let matcher: SecretMatcher = buildMatcher([]);

  const watched = () => [...installSecretFiles(options.installDir), options.sessionFile, ...rootFiles];
  const load = (): KnownSecret[] => [
    // First source wins for a value held in two places: the install's name is the most telling.
    ...installEnvSecrets(options.installDir),
    ...loginSecrets(options.sessionFile),
    ...agentEnv,
    ...rootFiles.flatMap((path) => rootEnvSecrets(path)),
  ];
  const current = (): SecretMatcher => {
    const time = now();
    if (time - checkedAt < CHECK_EVERY_MS) return matcher;
    checkedAt = time;
    if (time - walkedAt >= ROOT_WALK_EVERY_MS) void walkAgain();
    const files = watched();
    const next = `${files.join('\0')}\n${files.map(fileSignature).join('\0')}`;
    if (next !== signatures) {
      signatures = next;
      matcher = buildMatcher(load());
    }
    return matcher;
  };
  const walkAgain = () =>
    (walking ??= findRootEnvFilesInBackground(options.roots).then(
      (found) => {
        rootFiles = [...new Set([...found, ...rootFiles.filter((path) => !found.includes(path) && fileSignature(path) !== 'missing')])];
        walkedAt = now();
        checkedAt = -Infinity;
        walking = undefined;
      },
      () => {
        walking = undefined;
      },
    ));
  rootFiles = findRootEnvFiles(options.roots);
  current();
  return {
    redact: (text) => current().redact(text),
    restore: (text) => current().restore(text),
    stream: () => createStreamRedactor(current),
    // A walk under way may have read a folder before the change: one more after it.
    rootsChanged: () => (walking ? walking.then(() => walkAgain()) : walkAgain()),
    fileWritten: (path) => {
      if (!isRootEnvFile(path) || !options.roots.some((root) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`))) return;
      if (!rootFiles.includes(path)) rootFiles = [...rootFiles, path];
      checkedAt = -Infinity;
    },
    knownForms: () => current().size,
  };
}

/** A redactor over a fixed list of secrets (tests, benchmarks). */
export function createStaticRedactor(secrets: KnownSecret[]): Redactor {
  const matcher = buildMatcher(secrets);
  return { redact: matcher.redact, restore: matcher.restore, stream: () => createStreamRedactor(() => matcher) };
}
