/**
 * Backup throughput: `openmates server backup` of a data volume filled with 200 MB, against
 * `tar cf` of the same volume directory on the engine's host (the engine is local, so
 * `docker volume inspect` gives the directory). Two figures for openmates: the volume copy
 * itself (from its step events, timed as they arrive) and the whole command (which also stops
 * and restarts the database and waits for health). A second baseline, `docker cp` out of a
 * container mounting the volume, takes the same engine API path without openmates in it.
 * Ratios above 1 mean openmates is faster.
 */
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLI_BIN, cliEnv, createTestStack, dockerOk, runCli, toolboxImage } from '../test/e2e/harness/index.js';

const FILL_MB = 200;
const RUNS = 3;

interface Sample {
  copyMs: number;
  totalMs: number;
  bytes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function openmatesBackup(installDir: string, volume: string): Promise<Sample> {
  const started = performance.now();
  const child = execa(process.execPath, [CLI_BIN, 'server', 'backup', '--json', '--path', installDir], { env: { ...process.env, ...cliEnv() }, stdin: 'ignore', reject: false, lines: false });
  let copyStarted = 0;
  let copyFinished = 0;
  let file = '';
  for await (const line of child.iterable({ from: 'stdout' })) {
    const event = JSON.parse(String(line)) as { type: string; step?: string; file?: string };
    if (event.step === `volume:${volume}` && event.type === 'step-started') copyStarted = performance.now();
    if (event.step === `volume:${volume}` && event.type === 'step-finished') copyFinished = performance.now();
    if (event.type === 'result') file = event.file!;
  }
  const result = await child;
  const totalMs = performance.now() - started;
  if (result.exitCode !== 0 || !file) throw new Error(`openmates server backup failed (${result.exitCode}): ${String(result.stderr).slice(-800)}`);
  const bytes = (await stat(file)).size;
  await rm(file);
  return { copyMs: copyFinished - copyStarted, totalMs, bytes };
}

async function hostTar(mountpoint: string): Promise<Sample> {
  const out = join(tmpdir(), `omt-bench-tar-${process.pid}.tar`);
  const started = performance.now();
  await execa('tar', ['cf', out, '-C', mountpoint, '.']);
  const ms = performance.now() - started;
  const bytes = (await stat(out)).size;
  await rm(out);
  return { copyMs: ms, totalMs: ms, bytes };
}

/** `docker cp <helper>:/volume - > file`: the engine's archive endpoint through the docker CLI. */
async function dockerCp(volume: string): Promise<Sample> {
  const out = join(tmpdir(), `omt-bench-cp-${process.pid}.tar`);
  const helper = (await dockerOk(['create', '--network', 'none', '--label', 'org.openmates.test.helper=true', '-v', `${volume}:/volume`, toolboxImage(), 'true'])).trim();
  try {
    const started = performance.now();
    await execa('sh', ['-c', 'docker cp "$1" - > "$2"', 'sh', `${helper}:/volume`, out], { env: { ...process.env, DOCKER_HOST: cliEnv().DOCKER_HOST }, stdin: 'ignore' });
    const ms = performance.now() - started;
    const bytes = (await stat(out)).size;
    return { copyMs: ms, totalMs: ms, bytes };
  } finally {
    await rm(out, { force: true });
    await dockerOk(['rm', '-f', helper]);
  }
}

const mbPerSecond = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

export async function benchBackup(): Promise<void> {
  const stack = await createTestStack({ name: 'bench-backup' });
  try {
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    if (installed.exitCode !== 0) throw new Error(`install for the benchmark failed:\n${installed.stderr}`);
    const volume = stack.dataVolumes[0]!;
    await dockerOk(
      ['run', '--rm', '--network', 'none', '-v', `${volume}:/volume`, toolboxImage(), 'sh', '-c', `for i in $(seq 1 ${FILL_MB / 20}); do head -c 20000000 /dev/urandom > /volume/fill-$i.bin; done`],
      { timeoutMs: 300_000 },
    );
    const mountpoint = JSON.parse(await dockerOk(['volume', 'inspect', volume]))[0].Mountpoint as string;

    const ours: Sample[] = [];
    const tar: Sample[] = [];
    const cp: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      tar.push(await hostTar(mountpoint));
      cp.push(await dockerCp(volume));
      ours.push(await openmatesBackup(stack.installDir, volume));
    }
    const cpRate = median(cp.map((s) => mbPerSecond(s.bytes, s.copyMs)));
    const tarRate = median(tar.map((s) => mbPerSecond(s.bytes, s.copyMs)));
    const copyRate = median(ours.map((s) => mbPerSecond(s.bytes, s.copyMs)));
    const totalRate = median(ours.map((s) => mbPerSecond(s.bytes, s.totalMs)));
    const row = (label: string, rate: number, ms: number, ratio: string) =>
      console.log(`  ${label.padEnd(52)} ${rate.toFixed(0).padStart(5)} MB/s  median ${ms.toFixed(0).padStart(6)} ms  ${ratio}`);
    console.log(`\nBackup throughput (${FILL_MB} MB data volume, ${RUNS} runs, median; higher is better)`);
    row('openmates backup: volume copy (engine API)', copyRate, median(ours.map((s) => s.copyMs)), `ratio ${(copyRate / tarRate).toFixed(2)}`);
    row('openmates server backup: whole command', totalRate, median(ours.map((s) => s.totalMs)), `ratio ${(totalRate / tarRate).toFixed(2)}`);
    row('docker cp <helper>:/volume - (same engine API path)', cpRate, median(cp.map((s) => s.copyMs)), `ratio ${(cpRate / tarRate).toFixed(2)}`);
    row('tar cf of the volume directory on the host', tarRate, median(tar.map((s) => s.copyMs)), '(baseline)');
    console.log(`  openmates volume copy vs docker cp: ratio ${(copyRate / cpRate).toFixed(2)}`);
  } finally {
    await stack.cleanup();
  }
}
