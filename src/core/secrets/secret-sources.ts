/**
 * Where the known secrets come from, read synchronously (small files, a few stats) so the
 * redactor's `redact(text)` can stay synchronous and still notice a changed file.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { installLayout } from '../install-dir.js';
import { EnvFile } from '../install/env-file.js';
import type { KnownSecret } from './known-secret.js';
import { MIN_SECRET_LENGTH, isLikelySecretValue, isSecretEnvName } from './secret-names.js';

/** A secrets file bigger than this is not a hand-written .env or session file: it is skipped. */
const MAX_SOURCE_BYTES = 1024 * 1024;

/** Changes whenever the file is replaced or modified; 'missing' when there is none. */
export function fileSignature(path: string): string {
  try {
    const info = statSync(path, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch {
    return 'missing';
  }
}

function readSmall(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_SOURCE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The files the install's secrets are read from (the redactor watches their signatures). */
export function installSecretFiles(installDir: string): string[] {
  const layout = installLayout(installDir);
  return [layout.envFile, layout.stackCopy];
}

/** The names the install's stack declares as secrets (its copy in the install dir), e.g. an invite code. */
function stackSecretNames(stackCopy: string): Set<string> {
  const text = readSmall(stackCopy);
  if (text === undefined) return new Set();
  try {
    const stack = parseYaml(text) as { secrets?: { name?: unknown }[] } | null;
    return new Set((stack?.secrets ?? []).map((secret) => secret.name).filter((name): name is string => typeof name === 'string'));
  } catch {
    return new Set();
  }
}

/**
 * The install's `.env`: the values of variables the stack declares as secrets or whose names say
 * so. Its other values (image tag, registry, ports, project name) are configuration that shows up
 * in ordinary output everywhere and are left alone.
 */
export function installEnvSecrets(installDir: string): KnownSecret[] {
  const layout = installLayout(installDir);
  const text = readSmall(layout.envFile);
  if (text === undefined) return [];
  const declared = stackSecretNames(layout.stackCopy);
  return Object.entries(EnvFile.parse(text).toRecord())
    .filter(([name, value]) => value.length >= MIN_SECRET_LENGTH && (declared.has(name) || isSecretEnvName(name)))
    .map(([name, value]) => ({ source: 'install-env', name, value }));
}

/** A `.env*` file in a shared root: every value that is not plain configuration. */
export function rootEnvSecrets(path: string): KnownSecret[] {
  const text = readSmall(path);
  if (text === undefined) return [];
  return Object.entries(EnvFile.parse(text).toRecord())
    .filter(([name, value]) => isLikelySecretValue(name, value))
    .map(([name, value]) => ({ source: 'root-env', name, value }));
}

/** The agent's own environment: variables named like secrets. */
export function agentEnvSecrets(env: NodeJS.ProcessEnv): KnownSecret[] {
  return Object.entries(env)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length >= MIN_SECRET_LENGTH && isSecretEnvName(entry[0]))
    .map(([name, value]) => ({ source: 'agent-env', name, value }));
}

/** `openmates login`'s session file: its id, tokens, master key and cookies (src/auth/session-store.ts). */
export function loginSecrets(sessionFile: string): KnownSecret[] {
  const text = readSmall(sessionFile);
  if (text === undefined) return [];
  let session: Record<string, unknown>;
  try {
    session = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const found: KnownSecret[] = [];
  const add = (name: string, value: unknown) => {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) found.push({ source: 'login', name, value });
  };
  for (const name of ['masterKey', 'wsToken', 'sessionId']) add(name, session[name]);
  if (session.cookies && typeof session.cookies === 'object') {
    for (const [name, value] of Object.entries(session.cookies as Record<string, unknown>)) add(`cookie.${name}`, value);
  }
  return found;
}
