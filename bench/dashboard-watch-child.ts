/**
 * The dashboard's core watch without a screen, for bench/dashboard.bench.ts: follows the install
 * in argv[2] until SIGTERM, then prints how many snapshots it made.
 */
import { watchDashboard } from '../src/core/dashboard/watch-dashboard.js';
import { detectCompose } from '../src/docker/compose-cli.js';
import { connectEngine } from '../src/docker/connect.js';

const installDir = process.argv[2];
if (!installDir) throw new Error('usage: dashboard-watch-child.ts <install dir>');
const engine = await connectEngine();
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
let snapshots = 0;
let live = false;
await watchDashboard(
  { installDir },
  { engine, compose: () => detectCompose() },
  (snapshot) => {
    snapshots++;
    if (!live && snapshot.sampledAt !== undefined) {
      live = true;
      process.stdout.write('live\n');
    }
  },
  controller.signal,
);
process.stdout.write(`${JSON.stringify({ snapshots })}\n`);
