import { benchStartup } from './startup.bench.js';
import { benchLogs } from './logs.bench.js';

await benchStartup();
await benchLogs();
