/**
 * Which Compose to use: found by itself (`docker compose` first, then `docker-compose`), or the
 * one OPENMATES_COMPOSE names: `v2` (only the `docker compose` plugin), `v1` (only the standalone
 * `docker-compose`) or an absolute path to a Compose binary (run without the `compose` prefix).
 */
import { isAbsolute } from 'node:path';
import { OpenmatesError } from '../core/errors.js';

export const COMPOSE_VARIABLE = 'OPENMATES_COMPOSE';

export interface ComposeCandidate {
  file: string;
  prefix: readonly string[];
}

const PLUGIN: ComposeCandidate = { file: 'docker', prefix: ['compose'] };
const STANDALONE: ComposeCandidate = { file: 'docker-compose', prefix: [] };

export interface ComposeChoice {
  candidates: ComposeCandidate[];
  /** Set when the user chose: detection then says so when it fails. */
  chosenBy?: string;
  /** v1 was asked for: a `docker-compose` that is v2 does not count. */
  requireV1?: boolean;
}

export function composeChoice(value: string | undefined): ComposeChoice {
  const choice = value?.trim() ?? '';
  if (choice === '' || choice === 'auto') return { candidates: [PLUGIN, STANDALONE] };
  const chosenBy = `${COMPOSE_VARIABLE}=${choice}`;
  if (choice === 'v2') return { candidates: [PLUGIN], chosenBy };
  if (choice === 'v1') return { candidates: [STANDALONE], chosenBy, requireV1: true };
  if (isAbsolute(choice)) return { candidates: [{ file: choice, prefix: [] }], chosenBy };
  throw new OpenmatesError(
    'usage',
    `${chosenBy} is not a Compose choice.`,
    `Set ${COMPOSE_VARIABLE} to v2 (\`docker compose\`), v1 (\`docker-compose\`) or the absolute path of a Compose binary, or unset it to let openmates find Compose.`,
  );
}

/** Compose v1 (the Python docker-compose) by its version: it cannot run some of v2's compose files. */
export function isComposeV1(version: string): boolean {
  return version.startsWith('1.');
}
