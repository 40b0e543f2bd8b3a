import { benchSafetyPlan } from './safety-plan.bench.js';
import { benchBackup } from './backup.bench.js';
import { benchUpdate } from './update.bench.js';
import { benchLogin } from './login.bench.js';
import { benchStartup } from './startup.bench.js';
import { benchDashboard } from './dashboard.bench.js';
import { benchLogs } from './logs.bench.js';
import { benchRemote } from './remote.bench.js';
import { benchChannel } from './channel.bench.js';
import { benchHostOps } from './host-ops.bench.js';
import { benchUndo } from './undo.bench.js';
import { benchRedact } from './redact.bench.js';
import { benchRelay } from './relay.bench.js';
import { benchRuns } from './runs.bench.js';
import { benchTerminal } from './terminal.bench.js';

/** `npm run bench [name ...]`: every benchmark, or only those named. */
const benches: Record<string, () => Promise<void>> = {
  startup: benchStartup,
  dashboard: benchDashboard,
  logs: benchLogs,
  backup: benchBackup,
  update: benchUpdate,
  login: benchLogin,
  'safety-plan': benchSafetyPlan,
  remote: benchRemote,
  channel: benchChannel,
  'host-ops': benchHostOps,
  undo: benchUndo,
  redact: benchRedact,
  relay: benchRelay,
  runs: benchRuns,
  terminal: benchTerminal,
};

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in benches));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
for (const [name, run] of Object.entries(benches)) {
  if (chosen.length === 0 || chosen.includes(name)) await run();
}
