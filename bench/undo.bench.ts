/**
 * The undo journal's cost on a write: overwriting a 1 MB and a 100 MB file through the core's
 * createFileOps, without a journal and with one (the replaced file kept as a hard link, the index
 * written twice). Also the two ways to keep the replaced file (a hard link against a copy, what
 * the journal falls back to on another file system). Ratios above 1 are the journal's overhead.
 * Without a journal the rename also frees the old file's blocks; with one that cost moves to the
 * entry's pruning, which is why a big overwrite can come out cheaper with the journal.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileOps, openUndoJournal } from '../src/core/files/index.js';

const SIZES = [
  { label: '1 MB', bytes: 1024 * 1024, runs: 21 },
  { label: '100 MB', bytes: 100 * 1024 * 1024, runs: 7 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeOverwrites(root: string, data: Buffer, runs: number, withJournal: boolean): Promise<number> {
  const samples: number[] = [];
  await writeFile(join(root, 'target.bin'), data);
  for (let i = 0; i <= runs; i++) {
    // A fresh journal each run, so the replaced 100 MB files do not pile up on the disk.
    const dir = join(root, '..', `undo-${i}`);
    const journal = withJournal ? openUndoJournal({ dir, bounds: async () => ({ maxBytes: 1024 ** 4, maxAgeDays: 7 }) }) : undefined;
    const files = createFileOps({ roots: [root], fullAccess: false }, journal ? { journal } : {});
    const started = performance.now();
    await files.write('target.bin', data);
    const elapsed = performance.now() - started;
    if (i > 0) samples.push(elapsed); // the first is a warm-up
    await rm(dir, { recursive: true, force: true });
  }
  return median(samples);
}

async function timeKeep(root: string, data: Buffer, runs: number): Promise<{ linkMs: number; copyMs: number }> {
  const source = join(root, 'keep-source.bin');
  await writeFile(source, data);
  const linkSamples: number[] = [];
  const copySamples: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    await link(source, join(root, `kept-link-${i}`));
    linkSamples.push(performance.now() - started);
    started = performance.now();
    await copyFile(source, join(root, `kept-copy-${i}`));
    copySamples.push(performance.now() - started);
    await rm(join(root, `kept-link-${i}`));
    await rm(join(root, `kept-copy-${i}`));
  }
  return { linkMs: median(linkSamples), copyMs: median(copySamples) };
}

export async function benchUndo(): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'openmates-bench-undo-'));
  const root = join(base, 'root');
  await mkdir(root);
  console.log('\nundo journal: overwrite through createFileOps (temp + fsync + rename), median');
  try {
    for (const size of SIZES) {
      const data = randomBytes(size.bytes);
      const plain = await timeOverwrites(root, data, size.runs, false);
      const journalled = await timeOverwrites(root, data, size.runs, true);
      console.log(`  ${size.label.padEnd(7)} without journal ${plain.toFixed(1).padStart(8)} ms   with journal ${journalled.toFixed(1).padStart(8)} ms   overhead ratio ${(journalled / plain).toFixed(2)} (${journalled >= plain ? '+' : ''}${(journalled - plain).toFixed(1)} ms, ${size.runs} runs)`);
      const keep = await timeKeep(root, data, Math.min(size.runs, 7));
      console.log(`  ${''.padEnd(7)} keeping the replaced file: hard link ${keep.linkMs.toFixed(2)} ms, copy ${keep.copyMs.toFixed(1)} ms`);
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
