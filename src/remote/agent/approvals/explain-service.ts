import { restartDisruption, updateDisruption, type Disruption } from '../../../core/safety/disruption.js';
import type { LifecyclePlan } from '../../../core/lifecycle/types.js';
import type { Explanation, ExplainServices } from './explain-types.js';

type ServiceAction = 'start' | 'stop' | 'restart' | 'update';

/**
 * A service change: the core's disruption text (restart, update: the same words the CLI and the
 * full-screen app show before asking); start and stop from the plan's own downtime summary.
 * Planning reads the stack and asks the engine; a request that cannot even be planned fails here.
 */
export async function explainService(services: Pick<ExplainServices, 'operations' | 'installDir'>, action: ServiceAction, args: { clearCache?: boolean; to?: string }, signal: AbortSignal): Promise<Explanation> {
  const operations = await services.operations();
  const installDir = services.installDir;
  let disruption: Omit<Disruption, 'action'>;
  let nothingToDo = false;
  if (action === 'update') {
    const plan = await operations.planUpdate({ installDir, ...(args.to !== undefined ? { to: args.to } : {}) }, () => {}, signal);
    disruption = updateDisruption(plan);
    nothingToDo = plan.upToDate && !plan.interrupted; // the handler answers "up to date" and touches nothing
  } else {
    const plan = await operations.planLifecycle({ installDir, action, clearCache: action === 'restart' && args.clearCache === true }, signal);
    disruption = action === 'restart' ? restartDisruption(plan) : startStopDisruption(plan);
  }
  return {
    headline: disruption.headline,
    targets: [installDir],
    details: { kind: 'service', action, headline: disruption.headline, downtime: disruption.downtime, services: disruption.services, consequences: disruption.consequences },
    undo: UNDO[action],
    // An update replaces the running version and migrates: approved one at a time.
    forSessionAllowed: action !== 'update',
    scope: { kind: 'op', op: `server.${action}` },
    ...(nothingToDo ? { nothingToDo } : {}),
  };
}

const UNDO: Record<ServiceAction, Explanation['undo']> = {
  start: { possible: true, how: '`openmates stop` (or server.stop) stops it again' },
  stop: { possible: true, how: '`openmates start` (or server.start) starts it again' },
  restart: { possible: false, how: 'no need: the services come back by themselves' },
  update: { possible: true, how: 'a version that does not come up healthy is rolled back by itself; otherwise `openmates update --to` the previous version' },
};

function startStopDisruption(plan: LifecyclePlan): Omit<Disruption, 'action'> {
  const services = plan.services.map((service) => service.service);
  const count = `${services.length} service${services.length === 1 ? '' : 's'}`;
  if (plan.action === 'start') {
    return {
      project: plan.project,
      headline: `Start ${plan.project}: start its ${count}.`,
      downtime: plan.expectedDowntime.summary.replace(/\.$/, ''),
      services,
      consequences: [`${plan.project} becomes reachable again once its services are healthy.`, 'No data is deleted.'],
    };
  }
  return {
    project: plan.project,
    headline: `Stop ${plan.project}: stop its ${count}.`,
    downtime: 'until someone starts it again',
    services,
    consequences: [`${plan.project} is unreachable until it is started again: people using it see errors.`, 'Requests and background jobs running at that moment are cut off.', 'No data is deleted.'],
  };
}
