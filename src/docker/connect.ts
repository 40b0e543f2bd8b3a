/**
 * Connects to the Docker engine named by the environment. dockerode is loaded only here, lazily,
 * so commands that never talk to Docker (`openmates --version`) do not pay for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { OpenmatesError, messageOf } from '../core/errors.js';
import { DEFAULT_DEADLINES, DockerodeEngine, dockerodeConnection, type EngineConnection, type EngineDeadlines } from './dockerode-engine.js';
import { lightModem, type LightTarget } from './light-modem.js';
import { describeEndpoint, formatDockerHost, parseDockerHost, type DockerHost } from './docker-host.js';
import type { DockerEngine } from './types.js';

export { describeEndpoint };

type Env = Record<string, string | undefined>;

function readCertificates(certPath: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  try {
    return {
      ca: readFileSync(join(certPath, 'ca.pem')),
      cert: readFileSync(join(certPath, 'cert.pem')),
      key: readFileSync(join(certPath, 'key.pem')),
    };
  } catch (error) {
    throw new OpenmatesError(
      'engine-unreachable',
      `Cannot use the TLS certificates in ${certPath}: ${messageOf(error)}.`,
      'DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem (or unset DOCKER_TLS_VERIFY / DOCKER_CERT_PATH).',
    );
  }
}

/**
 * dockerode options for `host`. Every connection key is set explicitly (undefined included):
 * docker-modem merges our options over defaults it reads from process.env, and a stale
 * DOCKER_HOST there must not leak in when `env` says otherwise.
 */
export function dockerodeOptions(host: DockerHost, env: Env): Dockerode.DockerOptions {
  const base = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    username: undefined,
    sshOptions: undefined,
    timeout: undefined,
  } satisfies Dockerode.DockerOptions;
  switch (host.kind) {
    case 'socket':
      return { ...base, socketPath: host.socketPath };
    case 'tcp':
      return {
        ...base,
        host: host.host,
        port: host.port,
        protocol: host.tls ? 'https' : 'http',
        ...(host.tls && host.certPath ? readCertificates(host.certPath) : {}),
      };
    case 'ssh':
      return {
        ...base,
        host: host.host,
        port: host.port,
        protocol: 'ssh',
        ...(host.username ? { username: host.username } : {}),
        sshOptions: env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : {},
      };
  }
}

/** The engine named by DOCKER_HOST (default unix:///var/run/docker.sock). Does not contact it: call ping(). */
export async function connectEngine(env: Env = process.env, deadlines: EngineDeadlines = DEFAULT_DEADLINES): Promise<DockerEngine> {
  const parsed = parseDockerHost(env);
  const target = parsed.ok ? lightTarget(parsed.host) : undefined;
  if (parsed.ok && target) {
    // Single requests over node:http; dockerode is loaded only when an operation needs it (a pull, an archive, a followed log).
    let docker: Promise<Dockerode> | undefined;
    const connection = { modem: lightModem(target) as EngineConnection['modem'], docker: () => (docker ??= connectDockerode(env).then((connected) => connected.docker)) };
    return new DockerodeEngine(connection, formatDockerHost(parsed.host), deadlines);
  }
  const { docker, endpoint } = await connectDockerode(env);
  return new DockerodeEngine(dockerodeConnection(docker), endpoint, deadlines);
}

/** Where node:http reaches the engine itself: a unix socket, or plain tcp (TLS and ssh:// keep docker-modem). */
function lightTarget(host: DockerHost): LightTarget | undefined {
  if (host.kind === 'socket' && host.scheme === 'unix') return { socketPath: host.socketPath };
  if (host.kind === 'tcp' && !host.tls) return { host: host.host, port: host.port };
  return undefined;
}

/** A dockerode client for the engine DOCKER_HOST names, and that engine's address for messages. */
export async function connectDockerode(env: Env = process.env): Promise<{ docker: Dockerode; endpoint: string }> {
  const parsed = parseDockerHost(env);
  if (!parsed.ok) {
    throw new OpenmatesError(
      'engine-unreachable',
      `Cannot reach the Docker engine: ${parsed.reason}.`,
      'Set DOCKER_HOST to unix:///path/to/docker.sock, tcp://host:2375 or ssh://user@host, or unset it to use /var/run/docker.sock.',
    );
  }
  const endpoint = formatDockerHost(parsed.host);
  const options = dockerodeOptions(parsed.host, env);
  const { default: Docker } = await import('dockerode');
  try {
    return { docker: new Docker(options), endpoint };
  } catch (error) {
    // docker-modem reads process.env itself first and throws on a DOCKER_HOST or
    // DOCKER_CERT_PATH it cannot use, even when our own options replace them.
    throw new OpenmatesError(
      'engine-unreachable',
      `Cannot reach the Docker engine at ${endpoint}: ${messageOf(error)}.`,
      'Check DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.',
    );
  }
}
