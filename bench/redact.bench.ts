/**
 * The redactor's cost on command output: 1 MB of log-like text with 200 known secrets (each in
 * all its forms: plain, JSON, URL, base64 at 3 offsets, standard and url-safe), a few of them
 * and a likely API key present, scanned whole (redact) and in 64 KiB pieces (stream). Baselines:
 * a plain `String.prototype.includes` loop over the 200 values (no forms, no replacing) and
 * `grep -F -f` with the 200 values over the same file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStaticRedactor, type KnownSecret } from '../src/core/secrets/index.js';
import { printTable, timeCommand, type Timing } from './measure.js';

const MB = 1024 * 1024;
const RUNS = 31;

function timeInProcess(label: string, run: () => unknown): Timing {
  for (let i = 0; i < 3; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { label, runs: RUNS, medianMs: samples[Math.floor(RUNS / 2)]!, minMs: samples[0]! };
}

function output(secrets: KnownSecret[]): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < MB; i++) {
    let line = `2026-12-02T00:${String(i % 60).padStart(2, '0')}:00Z INFO api request id=${(i * 7919).toString(16)} path=/v1/chats/${i % 977} status=200 duration=${i % 90}ms user=someone@example.org`;
    if (i % 2000 === 500) line += ` db=${secrets[i % secrets.length]!.value}`;
    if (i % 2000 === 1500) line += ` blob=${Buffer.from(`{"password":"${secrets[(i + 3) % secrets.length]!.value}"}`).toString('base64')}`;
    if (i === 4000) line += ` key=sk-proj-${randomBytes(24).toString('base64url')}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`.slice(0, MB);
}

export async function benchRedact(): Promise<void> {
  const secrets: KnownSecret[] = Array.from({ length: 200 }, (_, i) => ({
    source: 'install-env',
    name: `SECRET_${i}_PASSWORD`,
    value: i % 2 === 0 ? randomBytes(16 + (i % 17)).toString('hex') : randomBytes(18 + (i % 11)).toString('base64url'),
  }));
  const redactor = createStaticRedactor(secrets);
  const text = output(secrets);
  const redacted = redactor.redact(text);
  const tokens = (redacted.match(/<(?:POSSIBLE_)?SECRET:/g) ?? []).length;
  if (tokens === 0 || secrets.some((secret) => redacted.includes(secret.value))) throw new Error('the benchmark output was not redacted');

  const whole = timeInProcess('redact(1 MB), 200 secrets', () => redactor.redact(text));
  const streamed = timeInProcess('stream(): 16 pushes of 64 KiB + end()', () => {
    const stream = redactor.stream();
    let out = '';
    for (let at = 0; at < text.length; at += 64 * 1024) out += stream.push(text.slice(at, at + 64 * 1024));
    return out + stream.end();
  });
  const values = secrets.map((secret) => secret.value);
  const includes = timeInProcess('includes() loop over the 200 values (finds only)', () => values.filter((value) => text.includes(value)).length);
  printTable(`Redactor: 1 MB of output, 200 known secrets (${tokens} tokens in the output; lower is better)`, [whole, streamed], includes);

  const dir = await mkdtemp(join(tmpdir(), 'omt-bench-redact-'));
  try {
    await writeFile(join(dir, 'output.log'), text);
    await writeFile(join(dir, 'secrets.txt'), `${values.join('\n')}\n`);
    const grep = await timeCommand('grep -F -f secrets.txt output.log (a process)', ['grep', '-c', '-F', '-f', join(dir, 'secrets.txt'), join(dir, 'output.log')], { runs: 15 });
    console.log(`  ${grep.label.padEnd(48)} median ${grep.medianMs.toFixed(1).padStart(5)} ms  (redact ratio ${(whole.medianMs / grep.medianMs).toFixed(2)}, stream ratio ${(streamed.medianMs / grep.medianMs).toFixed(2)})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`  medians in ms: redact ${whole.medianMs.toFixed(2)}, stream ${streamed.medianMs.toFixed(2)}, includes ${includes.medianMs.toFixed(2)}`);
}
