/**
 * The core's host operations: classifyCommand per call, and reading a 200 MB file through
 * files.read (64 KiB chunks) against `cat FILE` piped into this process, what one would otherwise
 * run. Throughput ratios above 1 mean files.read is faster.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { classifyCommand } from '../src/core/exec/index.js';
import { createFileOps } from '../src/core/files/index.js';

const COMMANDS = [
  'ls -la /var/log',
  'ps aux | grep node | sort -k3 -rn | head',
  'cat x > y',
  'git log --oneline -n 20',
  'docker ps --format "{{.Names}}"',
  'find . -name "*.log" -mtime +7 -delete',
  'echo "$(whoami) at $(hostname)"',
  'sudo systemctl restart nginx && journalctl -u nginx -n 50',
  "sed -n '1,20p' /etc/hosts",
  'rm -rf node_modules; npm ci',
];
const FILE_MB = 200;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function benchClassify(): void {
  const iterations = 5000;
  for (const command of COMMANDS) classifyCommand(command);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) for (const command of COMMANDS) classifyCommand(command);
  const perCallUs = ((performance.now() - started) * 1000) / (iterations * COMMANDS.length);
  console.log(`  classifyCommand                                  ${perCallUs.toFixed(1).padStart(7)} µs per call (${COMMANDS.length} command lines, ${iterations} rounds)`);
}

async function makeFile(path: string): Promise<void> {
  const block = randomBytes(1024 * 1024);
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < FILE_MB; i++) await handle.write(block);
  } finally {
    await handle.close();
  }
}

async function timeRead(path: string, root: string): Promise<number> {
  const files = createFileOps({ roots: [root], fullAccess: false });
  const started = performance.now();
  const result = await files.read(path, { maxBytes: FILE_MB * 1024 * 1024 });
  let bytes = 0;
  for await (const chunk of result.chunks) bytes += chunk.length;
  if (bytes !== FILE_MB * 1024 * 1024) throw new Error(`files.read gave ${bytes} bytes`);
  return performance.now() - started;
}

async function timeCat(path: string): Promise<number> {
  const started = performance.now();
  const child = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let bytes = 0;
  child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await new Promise((resolve) => child.on('close', resolve));
  if (bytes !== FILE_MB * 1024 * 1024) throw new Error(`cat gave ${bytes} bytes`);
  return performance.now() - started;
}

export async function benchHostOps(): Promise<void> {
  console.log('\nHost operations in the core');
  benchClassify();
  const root = await mkdtemp(join(tmpdir(), 'openmates-bench-hostops-'));
  try {
    const path = join(root, 'big.bin');
    await makeFile(path);
    await timeRead(path, root);
    await timeCat(path);
    const reads: number[] = [];
    const cats: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      reads.push(await timeRead(path, root));
      cats.push(await timeCat(path));
    }
    const mbps = (ms: number) => (FILE_MB / (ms / 1000)).toFixed(0);
    const readMs = median(reads);
    const catMs = median(cats);
    console.log(`  files.read ${FILE_MB} MB (64 KiB chunks)                  median ${readMs.toFixed(0).padStart(5)} ms  ${mbps(readMs).padStart(5)} MB/s  ratio ${(catMs / readMs).toFixed(2)} of cat's throughput`);
    console.log(`  cat ${FILE_MB} MB piped into node                       median ${catMs.toFixed(0).padStart(5)} ms  ${mbps(catMs).padStart(5)} MB/s  (baseline)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
