import { execa } from 'execa';

export interface Timing {
  label: string;
  runs: number;
  medianMs: number;
  minMs: number;
}

/** Runs a command `runs` times after one warm-up and returns its median wall time. */
export async function timeCommand(label: string, command: string[], options: { env?: Record<string, string>; runs?: number; okExitCodes?: number[] } = {}): Promise<Timing> {
  const runs = options.runs ?? 15;
  const [file, ...args] = command as [string, ...string[]];
  const once = async () => {
    const started = performance.now();
    const result = await execa(file, args, { env: options.env, reject: false, stdin: 'ignore' });
    if (!(options.okExitCodes ?? [0]).includes(result.exitCode ?? -1)) throw new Error(`${command.join(' ')} failed (${result.exitCode}): ${String(result.stderr).slice(0, 500)}`);
    return performance.now() - started;
  };
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once());
  samples.sort((a, b) => a - b);
  return { label, runs, medianMs: samples[Math.floor(samples.length / 2)]!, minMs: samples[0]! };
}

export function printTable(title: string, rows: Timing[], baseline: Timing): void {
  console.log(`\n${title}`);
  for (const row of [...rows, baseline]) {
    const ratio = row === baseline ? '(baseline)' : `ratio ${(row.medianMs / baseline.medianMs).toFixed(2)}`;
    console.log(`  ${row.label.padEnd(56)} median ${row.medianMs.toFixed(0).padStart(5)} ms  min ${row.minMs.toFixed(0).padStart(5)} ms  ${ratio}`);
  }
}
