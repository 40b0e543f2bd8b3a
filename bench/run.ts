import { benchStartup } from './startup.bench.js';

await benchStartup();
import { benchUpdate } from './update.bench.js';

await benchUpdate();
