/**
 * Child process for the kill -9 test: writes TARGET through createFileOps with 1 MiB chunks,
 * prints "halfway" after half of them and then waits to be killed; "done" if it ever finishes.
 * With a 4th argument, the write is recorded in the undo journal in that folder.
 */
import { dirname } from 'node:path';
import { createFileOps, openUndoJournal } from '../../../../src/core/files/index.js';

const [target, chunks, pauseAt, journalDir] = process.argv.slice(2) as [string, string, string, string | undefined];
const journal = journalDir ? openUndoJournal({ dir: journalDir, bounds: async () => ({ maxBytes: 1024 ** 3, maxAgeDays: 7 }) }) : undefined;
const files = createFileOps({ roots: [dirname(target)], fullAccess: false }, journal ? { journal } : {});

async function* content(): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < Number(chunks); i++) {
    if (i === Number(pauseAt)) {
      process.stdout.write('halfway\n');
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
    yield Buffer.alloc(1024 * 1024, 0x6e);
  }
}

await files.write(target, content());
process.stdout.write('done\n');
