import { benchStartup } from './startup.bench.js';
import { benchBackup } from './backup.bench.js';

await benchStartup();
await benchBackup();
