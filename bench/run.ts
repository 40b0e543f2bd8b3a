import { benchStartup } from './startup.bench.js';

await benchStartup();
import { benchSafetyPlan } from './safety-plan.bench.js';

await benchSafetyPlan();
