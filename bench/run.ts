import { benchStartup } from './startup.bench.js';

await benchStartup();
