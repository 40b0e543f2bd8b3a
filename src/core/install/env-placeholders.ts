import type { DockerEngine } from '../../docker/types.js';
import type { Stack } from '../stack/schema.js';

/**
 * Facts of this host a stack's env defaults may name, as "{installDir}" or "{dockerSocketGroup}"
 * (the Docker socket's group id: upstream's admin sidecar needs it in DOCKER_GID). Read at
 * install time; a value already in .env is kept, so a repair does not change it.
 */
export type EnvPlaceholders = Partial<Record<'installDir' | 'dockerSocketGroup', string>>;

export async function readEnvPlaceholders(stack: Stack, engine: DockerEngine, installDir: string): Promise<EnvPlaceholders> {
  const wanted = (name: string) => Object.values(stack.env).some((value) => value.includes(`{${name}}`));
  const gid = wanted('dockerSocketGroup') ? await engine.socketGroupId() : undefined;
  return { installDir, ...(gid !== undefined ? { dockerSocketGroup: String(gid) } : {}) };
}

/** The value with its placeholders filled in, or the names of those this host has no value for. */
export function fillPlaceholders(value: string, placeholders: EnvPlaceholders): { value: string } | { missing: string[] } {
  const missing: string[] = [];
  const filled = value.replace(/\{(installDir|dockerSocketGroup)\}/g, (_match, name: keyof EnvPlaceholders) => {
    const known = placeholders[name];
    if (known === undefined) missing.push(name);
    return known ?? '';
  });
  return missing.length > 0 ? { missing } : { value: filled };
}
