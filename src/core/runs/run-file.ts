import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import * as z from 'zod';
import { OpenmatesError } from '../errors.js';

/** `.openmates-run.yaml`: a folder's run settings, meant to be committed (so: no secrets in it). */
export const RUN_FILE = '.openmates-run.yaml';

export const runFileSchema = z.strictObject({
  repo: z.string().min(1).optional(),
  branch: z.string().min(1).optional(),
  image: z.string().min(1).optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name'), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  timeout: z.number().int().positive().optional(),
});
export type RunFile = z.infer<typeof runFileSchema>;

/** The folder's run file, or undefined when it has none; a broken one is an error naming it. */
export async function readRunFile(dir: string): Promise<RunFile | undefined> {
  const path = join(dir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpenmatesError('invalid-config', `Cannot read ${path}: ${(error as Error).message}.`);
  }
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new OpenmatesError('invalid-config', `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}.`, `fix it, or move it aside and run \`openmates runs init\``);
  }
  const parsed = runFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OpenmatesError('invalid-config', `${path}: ${issue.path.join('.') || 'the file'}: ${issue.message}.`, 'it may hold repo, branch, image, env and timeout (seconds)');
  }
  return parsed.data;
}

export function runFileText(settings: RunFile): string {
  return `# Settings for \`openmates run\` in this folder (flags override them). Commit it: keep secrets out.\n${stringify(settings)}`;
}
