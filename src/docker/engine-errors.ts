/**
 * Turns what dockerode / Node throw into OpenmatesErrors a person can act on: one sentence naming
 * the endpoint and the cause, and a hint with the fix.
 */
import { OpenmatesError, messageOf } from '../core/errors.js';
import { CallAborted, DeadlineExceeded, formatDuration } from './deadline.js';

type ConnectionProblem = 'missing' | 'refused' | 'denied' | 'timeout' | 'dns' | 'closed' | 'unreachable' | 'tls' | 'ssh-auth';

interface NodeLikeError {
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
  level?: unknown;
  statusCode?: unknown;
  json?: unknown;
}

function fieldsOf(error: unknown): NodeLikeError {
  return typeof error === 'object' && error !== null ? (error as NodeLikeError) : {};
}

const TLS_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Which connection problem an error is, or undefined when it is not about reaching the engine. */
export function connectionProblemOf(error: unknown): ConnectionProblem | undefined {
  if (error instanceof DeadlineExceeded) return 'timeout';
  const { code, message, level } = fieldsOf(error);
  const text = typeof message === 'string' ? message : '';
  switch (code) {
    case 'ENOENT':
      return 'missing';
    case 'ECONNREFUSED':
      return 'refused';
    case 'EACCES':
    case 'EPERM':
      return 'denied';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return 'timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'closed';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return 'unreachable';
  }
  if (typeof code === 'string' && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_'))) return 'tls';
  if (level === 'client-authentication') return 'ssh-auth';
  if (level === 'client-timeout') return 'timeout';
  if (level === 'client-socket' || level === 'client-dns') return 'unreachable';
  if (/socket hang up/i.test(text)) return 'closed';
  return undefined;
}

function reasonFor(problem: ConnectionProblem, error: unknown, endpoint: string): string {
  const isSocket = endpoint.startsWith('unix://') || endpoint.startsWith('npipe://');
  switch (problem) {
    case 'missing':
      return isSocket ? 'the socket does not exist' : 'the address does not exist';
    case 'refused':
      return isSocket ? 'nothing is listening on the socket' : 'the connection was refused';
    case 'denied':
      return 'permission denied';
    case 'timeout':
      return error instanceof DeadlineExceeded ? `it did not answer within ${formatDuration(error.ms)}` : 'the connection timed out';
    case 'dns': {
      const { hostname } = fieldsOf(error);
      return typeof hostname === 'string' ? `the host name "${hostname}" could not be resolved` : 'the host name could not be resolved';
    }
    case 'closed':
      return 'the connection was closed before the engine answered';
    case 'unreachable':
      return 'the host is unreachable';
    case 'tls':
      return `the TLS connection failed (${messageOf(error)})`;
    case 'ssh-auth':
      return 'the SSH login was refused';
  }
}

function hintFor(problem: ConnectionProblem, endpoint: string): string {
  const isSocket = endpoint.startsWith('unix://') || endpoint.startsWith('npipe://');
  const orDockerHost = 'or set DOCKER_HOST to an engine that is running (e.g. DOCKER_HOST=unix:///var/run/docker.sock)';
  switch (problem) {
    case 'missing':
    case 'refused':
    case 'closed':
      return isSocket
        ? `Start Docker with \`sudo systemctl start docker\` (or run \`sudo dockerd\`), ${orDockerHost}.`
        : `Check that dockerd runs on that machine and listens on ${endpoint}, ${orDockerHost}.`;
    case 'denied':
      return 'Run openmates as root (sudo), or add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and back in), or set DOCKER_HOST to a socket you may use.';
    case 'timeout':
      return isSocket
        ? `The engine may be starting or stuck: check \`systemctl status docker\` and restart it if needed, ${orDockerHost}.`
        : `Check that ${endpoint} is the right address and that no firewall drops the connection, ${orDockerHost}.`;
    case 'dns':
    case 'unreachable':
      return `Check the host in DOCKER_HOST and your network connection, ${orDockerHost}.`;
    case 'tls':
      return 'Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY, or use an unencrypted socket.';
    case 'ssh-auth':
      return 'Make sure `ssh <host>` works without a password (ssh-agent running, SSH_AUTH_SOCK set, key loaded with `ssh-add`).';
  }
}

/** An engine-unreachable error for a connection problem, or undefined when `error` is something else. */
export function engineUnreachableError(error: unknown, endpoint: string): OpenmatesError | undefined {
  const problem = connectionProblemOf(error);
  if (!problem) return undefined;
  return new OpenmatesError(
    'engine-unreachable',
    `Cannot reach the Docker engine at ${endpoint}: ${reasonFor(problem, error, endpoint)}.`,
    hintFor(problem, endpoint),
  );
}

/** The engine's own HTTP error (status and its message), when the engine answered with one. */
export function engineHttpError(error: unknown): { statusCode: number; message: string } | undefined {
  const { statusCode, json, message } = fieldsOf(error);
  if (typeof statusCode !== 'number') return undefined;
  const jsonMessage = typeof json === 'object' && json !== null ? (json as { message?: unknown }).message : undefined;
  const text =
    typeof jsonMessage === 'string'
      ? jsonMessage
      : typeof message === 'string'
        ? message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim()
        : String(error);
  return { statusCode, message: text.trim() };
}

/** The engine answered 404: no such container, image, volume or network. */
export function isNotFound(error: unknown): boolean {
  return engineHttpError(error)?.statusCode === 404;
}

/** Strips the trailing period so a message can be embedded in a sentence. */
function sentencePart(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

/**
 * Any error from an engine call, as an OpenmatesError: connection problems and deadlines become
 * 'engine-unreachable'; the engine's own refusals and anything else become 'operation-failed'.
 * `action` completes "The Docker engine could not ...", e.g. "list the containers of project x".
 */
export function toEngineError(error: unknown, endpoint: string, action: string): OpenmatesError {
  if (error instanceof OpenmatesError) return error;
  if (error instanceof CallAborted) return new OpenmatesError('interrupted', `Stopped while waiting for the Docker engine to ${action}.`);
  const unreachable = engineUnreachableError(error, endpoint);
  if (unreachable) return unreachable;
  const http = engineHttpError(error);
  const cause = http ? http.message : messageOf(error);
  return new OpenmatesError(
    'operation-failed',
    `The Docker engine at ${endpoint} could not ${action}: ${sentencePart(cause)}.`,
    http && http.statusCode >= 500 ? 'Check the engine log (`journalctl -u docker`) for the cause.' : undefined,
  );
}
