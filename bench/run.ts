import { benchStartup } from './startup.bench.js';

await benchStartup();
import { benchLogin } from './login.bench.js';

await benchLogin();
