import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { OpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import type { InstallLayout } from '../install-dir.js';
import { EnvFile, readEnvFile, writeSecretFile } from './env-file.js';
import { fillPlaceholders } from './env-placeholders.js';
import { generateSecret } from './secrets.js';
import type { InstallPlan } from './types.js';

/**
 * Writes the install dir: the stack copy, the compose file, the extra files the compose file
 * needs, and .env (0600). Secrets are generated only where .env has none; nothing the user set is
 * overwritten. Returns the files it changed (relative), empty when all was already in place.
 */
export async function writeInstallFiles(plan: InstallPlan, layout: InstallLayout, sink: EventSink): Promise<string[]> {
  const changed: string[] = [];
  const rel = (path: string) => relative(layout.root, path);
  try {
    await mkdir(layout.root, { recursive: true });
    for (const directory of plan.stack.directories) await mkdir(join(layout.root, directory), { recursive: true });
    if (await writeIfDifferent(layout.stackCopy, plan.stackSource)) changed.push(rel(layout.stackCopy));
    if (await writeIfDifferent(plan.composeFile, plan.composeSource)) changed.push(rel(plan.composeFile));
    for (const file of plan.stack.files) {
      const path = join(layout.root, file.path);
      if (await exists(path)) continue;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { mode: file.mode ? parseInt(file.mode, 8) : 0o644 });
      changed.push(file.path);
    }
    if (await writeEnv(plan, layout, sink)) changed.push('.env');
    // Installed again after an uninstall that kept the data: its note and stack copy are history now.
    await rm(layout.uninstalledNote, { force: true });
    await rm(layout.uninstalledStackCopy, { force: true });
  } catch (error) {
    if (error instanceof OpenmatesError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new OpenmatesError(
      'operation-failed',
      `Could not write the install dir ${layout.root}: ${messageOf(error)}.`,
      code === 'ENOSPC' ? 'The disk is full: free some space and run install again.' : code === 'EACCES' ? 'Run as a user who may write there, or choose another --path.' : undefined,
    );
  }
  return changed;
}

async function writeEnv(plan: InstallPlan, layout: InstallLayout, sink: EventSink): Promise<boolean> {
  const { stack } = plan;
  const existing = await readEnvFile(layout.envFile);
  const env = existing ?? EnvFile.empty();
  const before = env.toString();
  for (const [name, value] of Object.entries(stack.env)) {
    if (env.get(name) !== undefined) continue;
    const filled = fillPlaceholders(value, { ...plan.placeholders, installDir: layout.root });
    if ('value' in filled) env.set(name, filled.value);
    else sink({ type: 'warning', message: `${name} was not written to .env: ${unknownPlaceholderText(filled.missing)}.`, hint: `Set ${name} in ${layout.envFile} yourself if the stack needs it.` });
  }
  env.set(stack.registryVariable, stack.registry);
  env.set(stack.tagVariable, stack.tag);
  const generated: string[] = [];
  for (const secret of stack.secrets) {
    if (!env.isEmpty(secret.name)) continue;
    env.set(secret.name, generateSecret(secret));
    generated.push(secret.name);
  }
  if (existing && generated.length > 0) {
    sink({ type: 'warning', message: `Generated ${generated.join(', ')}, which .env did not have.` });
  }
  const mode = existing ? (await stat(layout.envFile)).mode & 0o777 : undefined;
  if (env.toString() === before && mode === 0o600) return false;
  if (env.toString() === before) {
    await chmod(layout.envFile, 0o600);
    sink({ type: 'warning', message: `.env was readable by others (mode ${mode?.toString(8)}); it is 0600 now.` });
    return true;
  }
  await writeSecretFile(layout.envFile, env.toString());
  return true;
}

function unknownPlaceholderText(missing: string[]): string {
  return missing.map((name) => (name === 'dockerSocketGroup' ? "the Docker socket's group id could not be read here (the engine is not on this machine, or its socket is not readable); on the engine's host it is `stat -c %g /var/run/docker.sock`" : `{${name}} has no value here`)).join('; ');
}

async function writeIfDifferent(path: string, content: string): Promise<boolean> {
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return true;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
