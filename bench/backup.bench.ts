/**
 * Backup and restore throughput on a data volume filled with 200 MB, against GNU tar on the
 * engine's host: `tar cf` of the volume's directory for a backup, `tar xf` of the same archive
 * into an empty directory for a restore. openmates runs both ways it can: reading the volume's
 * directory (the engine is this machine's) and through the engine's archive endpoint (the same
 * engine reached over tcp, as a remote one is). Two figures for each: the volume copy itself
 * (from its step events, timed as they arrive) and the whole command (a backup also stops and
 * starts the database; a restore also verifies the archive, stops, starts and waits for health).
 * `docker cp` out of a helper container is the engine path without openmates in it.
 * Ratios above 1 mean openmates is faster.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLI_BIN, cliEnv, createTestStack, dockerOk, engineOverTcp, runCli, toolboxImage } from '../test/e2e/harness/index.js';

const FILL_MB = 200;
const RUNS = 3;

interface Sample {
  copyMs: number;
  totalMs: number;
  bytes: number;
  /** Each step's duration, to show where the whole command's time goes. */
  steps?: Map<string, number>;
  /** The copy step's detail: how the volume was read or written. */
  copyDetail?: string;
  file?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `openmates server <args> --json`, timing each step from its events as they arrive. */
async function timedCommand(args: string[], volume: string, dockerHost: string): Promise<Sample> {
  const started = performance.now();
  const child = execa(process.execPath, [CLI_BIN, 'server', ...args, '--json'], { env: { ...process.env, ...cliEnv(), DOCKER_HOST: dockerHost }, stdin: 'ignore', reject: false, lines: false });
  const stepStarts = new Map<string, number>();
  const steps = new Map<string, number>();
  let copyDetail = '';
  let file = '';
  for await (const line of child.iterable({ from: 'stdout' })) {
    const event = JSON.parse(String(line)) as { type: string; step?: string; file?: string; detail?: string };
    if (event.step && event.type === 'step-started') stepStarts.set(event.step, performance.now());
    if (event.step && (event.type === 'step-finished' || event.type === 'step-failed')) steps.set(event.step, performance.now() - (stepStarts.get(event.step) ?? started));
    if (event.step === `volume:${volume}` && event.type === 'step-finished') copyDetail = event.detail ?? '';
    if (event.type === 'result') file = event.file!;
  }
  const result = await child;
  const totalMs = performance.now() - started;
  if (result.exitCode !== 0 || !file) throw new Error(`openmates server ${args[0]} failed (${result.exitCode}): ${String(result.stderr).slice(-800)}`);
  return { copyMs: steps.get(`volume:${volume}`) ?? NaN, totalMs, bytes: (await stat(file)).size, steps, copyDetail, file };
}

async function timed(run: () => Promise<unknown>, bytesOf: () => Promise<number>): Promise<Sample> {
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  return { copyMs: ms, totalMs: ms, bytes: await bytesOf() };
}

const mbPerSecond = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

interface Row {
  label: string;
  samples: Sample[];
  whole?: boolean;
}

function printTable(title: string, rows: Row[], baseline: Row): void {
  const base = median(baseline.samples.map((s) => mbPerSecond(s.bytes, s.copyMs)));
  console.log(`\n${title} (${FILL_MB} MB data volume, ${RUNS} runs, median; higher is better)`);
  for (const row of [...rows, baseline]) {
    const ms = median(row.samples.map((s) => (row.whole ? s.totalMs : s.copyMs)));
    const rate = median(row.samples.map((s) => mbPerSecond(s.bytes, row.whole ? s.totalMs : s.copyMs)));
    console.log(`  ${row.label.padEnd(58)} ${rate.toFixed(0).padStart(5)} MB/s  median ${ms.toFixed(0).padStart(6)} ms  ${row === baseline ? '(baseline)' : `ratio ${(rate / base).toFixed(2)}`}`);
  }
}

function whereTimeGoes(label: string, samples: Sample[]): void {
  const names = [...(samples[0]?.steps?.keys() ?? [])];
  console.log(`  ${label}: ${names.map((name) => `${name.replace(/^volume:.*/, 'volume')} ${median(samples.map((s) => s.steps?.get(name) ?? 0)).toFixed(0)} ms`).join(', ')}`);
}

export async function benchBackup(): Promise<void> {
  const stack = await createTestStack({ name: 'bench-backup' });
  const remote = await engineOverTcp();
  const scratch = await mkdtemp(join(tmpdir(), 'omt-bench-backup-'));
  try {
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    if (installed.exitCode !== 0) throw new Error(`install for the benchmark failed:\n${installed.stderr}`);
    const volume = stack.dataVolumes[0]!;
    await dockerOk(
      ['run', '--rm', '--network', 'none', '-v', `${volume}:/volume`, toolboxImage(), 'sh', '-c', `for i in $(seq 1 ${FILL_MB / 20}); do head -c 20000000 /dev/urandom > /volume/fill-$i.bin; done`],
      { timeoutMs: 300_000 },
    );
    const mountpoint = JSON.parse(await dockerOk(['volume', 'inspect', volume]))[0].Mountpoint as string;
    const local = cliEnv().DOCKER_HOST!;
    const phrase = `restore ${stack.project} on ${hostname()}`;
    const hostArchive = join(scratch, 'host.tar');
    const size = (path: string) => async () => (await stat(path)).size;

    const rows = { direct: [] as Sample[], engine: [] as Sample[], cp: [] as Sample[], tar: [] as Sample[] };
    const restores = { direct: [] as Sample[], engine: [] as Sample[], tar: [] as Sample[] };
    for (let run = 0; run < RUNS; run++) {
      await rm(hostArchive, { force: true });
      rows.tar.push(await timed(() => execa('tar', ['cf', hostArchive, '-C', mountpoint, '.']), size(hostArchive)));
      const cpOut = join(scratch, 'cp.tar');
      const helper = (await dockerOk(['create', '--network', 'none', '--label', 'org.openmates.test.helper=true', '-v', `${volume}:/volume`, toolboxImage(), 'true'])).trim();
      rows.cp.push(await timed(() => execa('sh', ['-c', 'docker cp "$1" - > "$2"', 'sh', `${helper}:/volume`, cpOut], { env: { ...process.env, DOCKER_HOST: local } }), size(cpOut)));
      await dockerOk(['rm', '-f', helper]);
      await rm(cpOut);
      const direct = await timedCommand(['backup', '--path', stack.installDir], volume, local);
      const viaEngine = await timedCommand(['backup', '--path', stack.installDir], volume, remote.dockerHost);
      rows.direct.push(direct);
      rows.engine.push(viaEngine);

      const into = join(scratch, `extract-${run}`);
      await execa('mkdir', ['-p', into]);
      restores.tar.push(await timed(() => execa('tar', ['xf', hostArchive, '-C', into]), size(hostArchive)));
      await rm(into, { recursive: true });
      restores.direct.push(await timedCommand(['restore', '--file', direct.file!, '--confirm', phrase, '--path', stack.installDir], volume, local));
      restores.engine.push(await timedCommand(['restore', '--file', viaEngine.file!, '--confirm', phrase, '--path', stack.installDir], volume, remote.dockerHost));
      await rm(direct.file!);
      await rm(viaEngine.file!);
    }

    printTable('Backup throughput', [
      { label: 'openmates backup: volume copy, read in its directory', samples: rows.direct },
      { label: 'openmates server backup: whole command (that way)', samples: rows.direct, whole: true },
      { label: 'openmates backup: volume copy through the engine (tcp)', samples: rows.engine },
      { label: 'openmates server backup: whole command (that way)', samples: rows.engine, whole: true },
      { label: 'docker cp <helper>:/volume - (the engine path alone)', samples: rows.cp },
    ], { label: 'tar cf of the volume directory on the host', samples: rows.tar });
    console.log(`  the copy step said: ${rows.direct[0]?.copyDetail}`);
    whereTimeGoes('where the whole backup goes (median per step, direct)', rows.direct);
    const downMs = median(rows.direct.map((s) => (s.steps?.get('stop') ?? 0) + (s.steps?.get(`volume:${volume}`) ?? 0) + (s.steps?.get('restart') ?? 0)));
    console.log(`  the database was down for about ${downMs.toFixed(0)} ms of it (stop, copy, start)`);

    printTable('Restore throughput', [
      { label: 'openmates restore: volume written in its directory', samples: restores.direct },
      { label: 'openmates server restore: whole command (that way)', samples: restores.direct, whole: true },
      { label: 'openmates restore: volume written through the engine (tcp)', samples: restores.engine },
    ], { label: 'tar xf of the same archive into an empty directory', samples: restores.tar });
    whereTimeGoes('where the whole restore goes (median per step, direct)', restores.direct);
  } finally {
    await remote.close();
    await rm(scratch, { recursive: true, force: true });
    await stack.cleanup();
  }
}
