/** The undo journal's index: one entry per file change, what it replaced and the version it left. */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { OpenmatesError, messageOf } from '../errors.js';
import { writeSecretFile } from '../install/env-file.js';

export const UNDO_OPS = ['write', 'copy', 'move', 'remove', 'mkdir'] as const;
export type UndoOp = (typeof UNDO_OPS)[number];

const actorSchema = z.object({ id: z.string(), name: z.string() });
export type UndoActor = z.infer<typeof actorSchema>;

/** What the change replaced: nothing (a new file or folder), or what is stored as `<id>/before`. */
const beforeSchema = z.union([
  z.object({ exists: z.literal(false) }),
  z.object({ exists: z.literal(true), type: z.enum(['file', 'directory', 'symlink', 'other']), mode: z.number(), files: z.number(), bytes: z.number() }),
]);
export type UndoBefore = z.infer<typeof beforeSchema>;

export const undoEntrySchema = z.object({
  id: z.string(),
  time: z.string(),
  device: actorSchema,
  op: z.enum(UNDO_OPS),
  /** The path the change left something at (write, copy and move: the target; remove: what went; mkdir: the top folder it created). */
  path: z.string(),
  /** move: where it came from. */
  from: z.string().optional(),
  before: beforeSchema,
  /** The version of `path` right after the change ('absent' after a remove): an undo checks nothing changed since. */
  after: z.string().optional(),
  /** Bytes the journal holds for this entry (what it replaced, and after an undo what the undo replaced). */
  bytes: z.number(),
  /** pending: being recorded (a crash here is sorted out on the next open); done: can be undone; undone: put back. */
  state: z.enum(['pending', 'done', 'undone']),
  undone: z.object({ time: z.string(), device: actorSchema, restored: z.array(z.string()) }).optional(),
});
export type UndoEntry = z.infer<typeof undoEntrySchema>;

const indexSchema = z.object({ version: z.literal(1), entries: z.array(undoEntrySchema) });

/** Reads index.json; a missing one is an empty journal, a damaged one an error that touches nothing. */
export async function readUndoIndex(path: string, dir: string): Promise<UndoEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new OpenmatesError('invalid-config', `The undo journal index ${path} cannot be read: ${messageOf(error)}.`, 'Check its permissions (it belongs to the user the agent runs as).');
  }
  try {
    return indexSchema.parse(JSON.parse(text)).entries;
  } catch {
    throw new OpenmatesError(
      'invalid-config',
      `The undo journal index ${path} is damaged, so no file change can be recorded or undone until it is repaired.`,
      `Nothing stored was removed: what each change replaced is still in ${dir}/<id>/before. Move the index aside (mv ${path} ${path}.damaged) to start a new journal, and copy back by hand what you need from those folders.`,
    );
  }
}

export async function writeUndoIndex(path: string, entries: UndoEntry[]): Promise<void> {
  await writeSecretFile(path, `${JSON.stringify({ version: 1, entries })}\n`);
}

/** Short and typeable: 6 letters and digits without look-alikes (no 0/o, 1/l). */
const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
export function newUndoId(taken: (id: string) => boolean, random: (size: number) => Uint8Array): string {
  for (;;) {
    const id = [...random(6)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
    if (!taken(id)) return id;
  }
}
