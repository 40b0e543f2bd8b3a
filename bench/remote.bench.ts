import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { connect, type RemoteServer } from '../src/remote/sdk/index.js';
import { startAgentProcess } from '../test/e2e/remote-agent-process.js';
import { startPrivateSshd } from './private-sshd.js';

const MB = 1024 * 1024;

async function rss(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

async function median(runs: number, once: () => Promise<unknown>): Promise<number> {
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

async function readAll(server: RemoteServer, path: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of server.files.readStream(path, { maxBytes: 1024 * MB })) bytes += chunk.byteLength;
  return bytes;
}

/** `npm run bench remote`: the agent through the SDK against ssh with a ControlMaster connection. */
export async function benchRemote(): Promise<void> {
  const agent = await startAgentProcess({ safetyMode: 'dev-server' });
  const sshd = await startPrivateSshd();
  const link = await readFile(await agent.addDevice('bench'), 'utf8');
  const file = join(agent.root, 'data.bin');
  await writeFile(file, randomBytes(200 * MB));
  await writeFile(join(agent.root, 'small.txt'), 'x');
  const pid = agent.process.pid!;
  try {
    await sshd.warm();
    const server = await connect(link);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleRss = await rss(pid);

    const stat = await median(100, () => server.files.stat('small.txt'));
    const sshStat = await median(30, () => execa('ssh', [...sshd.sshArgs, 'stat', '-c', '%s', join(agent.root, 'small.txt')]));
    const execTrue = await median(60, () => server.exec('true').result);
    const sshTrue = await median(30, () => execa('ssh', [...sshd.sshArgs, 'true']));
    const cliStat = await median(10, () => agent.cli(['remote', '--link-file', join(agent.home, 'bench.link'), 'files', 'stat', 'small.txt']));

    const read = await median(3, () => readAll(server, 'data.bin'));
    const sshCat = await median(3, () => execa('ssh', [...sshd.sshArgs, 'cat', file], { stdout: 'ignore' }));

    let peak = idleRss;
    const sampler = setInterval(() => void rss(pid).then((value) => (peak = Math.max(peak, value)), () => {}), 50);
    const clients = await Promise.all(Array.from({ length: 50 }, () => connect(link)));
    const loadStarted = performance.now();
    await Promise.all(clients.flatMap((client) => Array.from({ length: 20 }, (_, n) => (n % 4 === 3 ? client.exec('true').result : client.files.stat('small.txt')))));
    const loadMs = performance.now() - loadStarted;
    clearInterval(sampler);
    for (const client of clients) client.close();
    server.close();

    const mbps = (ms: number) => (200 / (ms / 1000)).toFixed(0);
    console.log('\nRemote access vs ssh (ControlMaster), warm');
    console.log(`  files.stat round trip (SDK)       ${stat.toFixed(2)} ms   ssh stat ${sshStat.toFixed(2)} ms   ratio ${(stat / sshStat).toFixed(2)} (goal <= 1.0)`);
    console.log(`  exec true round trip (SDK)        ${execTrue.toFixed(2)} ms   ssh true ${sshTrue.toFixed(2)} ms   ratio ${(execTrue / sshTrue).toFixed(2)} (goal <= 1.0)`);
    console.log(`  openmates remote files stat (CLI) ${cliStat.toFixed(0)} ms (a new process and handshake each time)`);
    console.log(`  read 200 MB (SDK)                 ${read.toFixed(0)} ms = ${mbps(read)} MB/s   ssh cat ${sshCat.toFixed(0)} ms = ${mbps(sshCat)} MB/s   throughput ratio ${(sshCat / read).toFixed(2)} (goal >= 0.8)`);
    console.log(`  agent RSS idle                    ${(idleRss / MB).toFixed(1)} MB (goal < 80 MB)`);
    console.log(`  agent RSS peak, 50 clients x 20   ${(peak / MB).toFixed(1)} MB (1,000 requests in ${loadMs.toFixed(0)} ms)`);
  } finally {
    await sshd.close();
    await agent.stop();
  }
}
