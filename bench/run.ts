import { benchStartup } from './startup.bench.js';
import { benchBackup } from './backup.bench.js';
import { benchUpdate } from './update.bench.js';

await benchStartup();
await benchBackup();
await benchUpdate();
