/**
 * Where the Docker engine is, read from the environment the way the docker CLI and docker-modem
 * read it: DOCKER_HOST (unix://, tcp://, ssh://, npipe://, or a bare host:port), DOCKER_TLS_VERIFY
 * and DOCKER_CERT_PATH. Pure: no file is read here (connect.ts loads the certificates).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_SOCKET_PATH = '/var/run/docker.sock';

export type DockerHost =
  | { kind: 'socket'; scheme: 'unix' | 'npipe'; socketPath: string }
  | {
      kind: 'tcp';
      host: string;
      port: number;
      /** https instead of http: DOCKER_TLS_VERIFY set, DOCKER_CERT_PATH set, or port 2376. */
      tls: boolean;
      /** Where ca.pem, cert.pem and key.pem are read from when TLS is on, if anywhere. */
      certPath?: string;
    }
  | { kind: 'ssh'; host: string; port: number; username?: string };

export type DockerHostParse = { ok: true; host: DockerHost } | { ok: false; reason: string };

type Env = Record<string, string | undefined>;

function tlsVerifyRequested(env: Env): boolean {
  const value = env.DOCKER_TLS_VERIFY;
  // The docker CLI treats any non-empty value as "on"; "0"/"false" are what people write to
  // mean "off", so we honour that too.
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Reads DOCKER_HOST (and the TLS variables) into a description of what to connect to. */
export function parseDockerHost(env: Env = process.env): DockerHostParse {
  const raw = env.DOCKER_HOST?.trim();
  if (!raw) return { ok: true, host: { kind: 'socket', scheme: 'unix', socketPath: DEFAULT_SOCKET_PATH } };

  if (raw.startsWith('unix://')) {
    return { ok: true, host: { kind: 'socket', scheme: 'unix', socketPath: raw.slice('unix://'.length) || DEFAULT_SOCKET_PATH } };
  }
  if (raw.startsWith('npipe://')) {
    return { ok: true, host: { kind: 'socket', scheme: 'npipe', socketPath: raw.slice('npipe://'.length) || '//./pipe/docker_engine' } };
  }

  const withScheme = raw.includes('://') ? raw : `tcp://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: `DOCKER_HOST="${raw}" is not an address the Docker client understands` };
  }
  if (!['ssh:', 'tcp:', 'http:', 'https:'].includes(url.protocol)) {
    return {
      ok: false,
      reason: `DOCKER_HOST="${raw}" uses the scheme "${url.protocol.replace(/:$/, '')}"; use unix://, tcp:// or ssh://`,
    };
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) return { ok: false, reason: `DOCKER_HOST="${raw}" names no host` };

  if (url.protocol === 'ssh:') {
    const username = url.username ? decodeURIComponent(url.username) : undefined;
    return { ok: true, host: { kind: 'ssh', host: hostname, port: url.port ? Number(url.port) : 22, ...(username ? { username } : {}) } };
  }
  const tlsVerify = tlsVerifyRequested(env);
  const certPath = env.DOCKER_CERT_PATH || (tlsVerify ? join(homedir(), '.docker') : undefined);
  const port = url.port ? Number(url.port) : tlsVerify ? 2376 : 2375;
  const tls = tlsVerify || Boolean(env.DOCKER_CERT_PATH) || port === 2376 || url.protocol === 'https:';
  return { ok: true, host: { kind: 'tcp', host: hostname, port, tls, ...(tls && certPath ? { certPath } : {}) } };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The endpoint as a readable address, for messages: "unix:///var/run/docker.sock", "tcp://10.0.0.2:2376". */
export function formatDockerHost(host: DockerHost): string {
  switch (host.kind) {
    case 'socket':
      return `${host.scheme}://${host.socketPath}`;
    case 'tcp':
      return `tcp://${hostForUrl(host.host)}:${host.port}`;
    case 'ssh':
      return `ssh://${host.username ? `${host.username}@` : ''}${hostForUrl(host.host)}${host.port === 22 ? '' : `:${host.port}`}`;
  }
}

/**
 * What the engine endpoint is, as one readable string; never throws (an unusable DOCKER_HOST is
 * shown as written, so messages can still name it).
 */
export function describeEndpoint(env: Env = process.env): string {
  const parsed = parseDockerHost(env);
  return parsed.ok ? formatDockerHost(parsed.host) : (env.DOCKER_HOST ?? '').trim();
}
