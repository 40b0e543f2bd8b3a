import { benchStartup } from './startup.bench.js';
import { benchDashboard } from './dashboard.bench.js';

await benchStartup();
await benchDashboard();
