/**
 * Preflight's last check: Compose itself reads the compose file (`config -q`) before anything is
 * changed. The check runs on a throwaway copy of the install dir's layout (the compose file at its
 * place, extra files, and a .env: the install's own when there is one, else the stack's values
 * with freshly generated throwaway secrets), so a relative `env_file: ../../.env` resolves as it
 * will after install. The copy is 0600/0700 and removed at once.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { isComposeV1 } from '../../docker/compose-choice.js';
import { meaningfulErrorLine } from '../../docker/compose-output.js';
import type { ComposeCli } from '../../docker/types.js';
import { OpenmatesError } from '../errors.js';
import type { InstallLayout } from '../install-dir.js';
import type { Stack } from '../stack/schema.js';
import { EnvFile, writeSecretFile } from './env-file.js';
import { generateSecret } from './secrets.js';
import type { PreflightCheck } from './types.js';

export interface ComposeFileCheckInput {
  compose: ComposeCli;
  stack: Stack;
  layout: InstallLayout;
  composeSource: string;
  /** Where the compose file came from, for messages. */
  origin: string;
  existingEnv: EnvFile | undefined;
  signal?: AbortSignal;
}

export const COMPOSE_V2_HINT =
  'Install Compose v2: `sudo apt install docker-compose-plugin` from Docker\'s apt repository (https://docs.docker.com/compose/install/linux/), ' +
  'or on Debian 13 `sudo apt install docker-compose`; then run the command again. If both are installed and OPENMATES_COMPOSE=v1 is set, unset it.';

/**
 * An "ok" check when Compose accepts the file; an "error" check (preflight, exit 4) when the found
 * Compose is v1 and the file needs v2. Any other rejection throws OpenmatesError('invalid-stack').
 */
export async function checkComposeFile(input: ComposeFileCheckInput): Promise<PreflightCheck> {
  const { compose } = input;
  const name = 'Compose file';
  const v1 = isComposeV1(compose.version);
  if (v1 && hasTopLevelName(input.composeSource)) return needsV2(compose, 'its top-level `name:`');
  const rejected = await validateCopy(input);
  if (rejected.length === 0) return { name, level: 'ok', detail: `accepted by ${compose.command} ${compose.version}` };
  const cause = meaningfulErrorLine(rejected) ?? rejected.at(-1)!;
  const v2Only = /'([\w-]+)' does not match any of the regexes/.exec(rejected.join('\n'));
  if (v1 && v2Only) return needsV2(compose, `its top-level \`${v2Only[1]}:\``);
  throw new OpenmatesError(
    'invalid-stack',
    `${compose.command} ${compose.version} rejects the compose file ${input.origin}: ${cause.replace(/\.$/, '')}.`,
    v1 ? `The file may need a newer Compose. ${COMPOSE_V2_HINT}` : 'Fix the compose file (or use the stack file that belongs to it) and run the command again.',
    rejected.slice(-10),
  );
}

function needsV2(compose: ComposeCli, what: string): PreflightCheck {
  return {
    name: 'Compose file',
    level: 'error',
    detail: `this stack needs Compose v2: ${compose.command} ${compose.version} (Compose v1) cannot read ${what}`,
    hint: COMPOSE_V2_HINT,
  };
}

function hasTopLevelName(source: string): boolean {
  try {
    const document = parse(source, { merge: true, maxAliasCount: 1000 }) as Record<string, unknown> | null;
    return typeof document === 'object' && document !== null && !Array.isArray(document) && 'name' in document;
  } catch {
    return false; // Compose will say what is wrong with the YAML
  }
}

async function validateCopy(input: ComposeFileCheckInput): Promise<string[]> {
  const { stack, layout } = input;
  const root = await mkdtemp(join(tmpdir(), 'openmates-compose-check-'));
  try {
    const composeFile = join(root, stack.composePath);
    await mkdir(dirname(composeFile), { recursive: true });
    await writeFile(composeFile, input.composeSource, { mode: 0o600 });
    for (const directory of stack.directories) await mkdir(join(root, directory), { recursive: true });
    for (const file of stack.files) {
      const path = join(root, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { mode: 0o600 });
    }
    const envFile = join(root, '.env');
    await writeSecretFile(envFile, checkEnv(input, layout).toString());
    return await input.compose.validate({ name: stack.name, composeFile, envFile }, input.signal);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The variables install will write, with the install's real paths (Compose may check bind-mount sources). */
function checkEnv(input: ComposeFileCheckInput, layout: InstallLayout): EnvFile {
  const { stack } = input;
  const env = input.existingEnv ? EnvFile.parse(input.existingEnv.toString()) : EnvFile.empty();
  for (const [name, value] of Object.entries(stack.env)) if (env.get(name) === undefined) env.set(name, value.replaceAll('{installDir}', layout.root));
  env.set(stack.registryVariable, stack.registry);
  env.set(stack.tagVariable, stack.tag);
  for (const secret of stack.secrets) if (env.isEmpty(secret.name)) env.set(secret.name, generateSecret(secret));
  return env;
}
