/**
 * A failed pull as one sentence with the registry's own words, and a hint picked from what the
 * registry (or the engine, on its way to it) said.
 */
import { OpenmatesError } from '../core/errors.js';

export interface ImageReference {
  /** "docker.io" when the reference names no registry. */
  registry: string;
  repository: string;
  /** "latest" when the reference has neither tag nor digest. */
  tag: string;
  digest?: string;
}

/** Splits "127.0.0.1:5055/openmates/api:1.2.0" the way the engine does. */
export function parseImageReference(ref: string): ImageReference {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = 'latest';
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const namesRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = namesRegistry ? first : 'docker.io';
  const repository = namesRegistry ? rest.slice(slash + 1) : rest;
  return { registry, repository, tag, ...(digest ? { digest } : {}) };
}

interface HintRule {
  test: RegExp;
  hint: (image: ImageReference, ref: string) => string;
}

const HINT_RULES: HintRule[] = [
  {
    test: /manifest unknown|manifest for .* not found|not found: manifest/i,
    hint: (image) =>
      image.digest
        ? `The digest ${image.digest} does not exist in ${image.registry}/${image.repository}.`
        : `The tag "${image.tag}" of ${image.repository} does not exist in the registry ${image.registry}: check the version (and the image name) you asked for.`,
  },
  {
    test: /pull access denied|repository does not exist|may require 'docker login'|name unknown/i,
    hint: (image) =>
      `The image ${image.registry}/${image.repository} does not exist, or the registry wants a login (\`docker login ${image.registry}\`).`,
  },
  {
    test: /unauthorized|authentication required|denied|forbidden/i,
    hint: (image) => `The registry refused access: log in with \`docker login ${image.registry}\` and try again.`,
  },
  {
    test: /server gave HTTP response to HTTPS client/i,
    hint: (image) =>
      `The registry ${image.registry} speaks plain HTTP: add it to "insecure-registries" in /etc/docker/daemon.json and restart Docker, or serve it over HTTPS.`,
  },
  {
    test: /x509|certificate|tls:/i,
    hint: (image) => `The engine does not trust the certificate of ${image.registry}: install its CA under /etc/docker/certs.d/${image.registry}/ca.crt.`,
  },
  {
    test: /unknown blob|blob unknown|filesystem layer verification failed|digest did not match/i,
    hint: (image) =>
      `The registry ${image.registry} holds a broken copy of ${image.repository}:${image.tag} (a layer is missing or damaged): push the image again, then retry.`,
  },
  {
    test: /toomanyrequests|rate limit/i,
    hint: (image) => `${image.registry} is rate-limiting pulls: wait a while, or log in with \`docker login ${image.registry}\`.`,
  },
  {
    test: /no space left on device/i,
    hint: () => 'The disk holding Docker\'s data is full: free some space (e.g. `docker system prune`) and try again.',
  },
  {
    test: /connection refused|no such host|i\/o timeout|dial tcp|network is unreachable|no route to host|server misbehaving|TLS handshake timeout|connection reset|EOF$|Client\.Timeout/i,
    hint: (image) =>
      `The registry ${image.registry} is unreachable from the Docker engine: check the address, that the registry is running, and that the engine's machine can reach it (proxy, firewall, DNS).`,
  },
];

/** The hint for a pull failure with the registry's (or engine's) message. */
export function pullFailureHint(ref: string, message: string): string {
  const image = parseImageReference(ref);
  const rule = HINT_RULES.find(({ test }) => test.test(message));
  return rule ? rule.hint(image, ref) : `Check that ${image.registry} is reachable and that ${ref} is the right image name.`;
}

/** OpenmatesError('operation-failed', "Could not pull <ref>: <registry message>.", hint). */
export function pullFailure(ref: string, message: string): OpenmatesError {
  const cause = message.trim().replace(/\.+$/, '');
  return new OpenmatesError('operation-failed', `Could not pull ${ref}: ${cause}.`, pullFailureHint(ref, message));
}
