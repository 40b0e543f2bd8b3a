import type { LifecyclePlan } from '../lifecycle/types.js';
import type { UpdatePlan } from '../update/types.js';

/**
 * Safety mode's gate for actions that interrupt a running instance without deleting data (restart,
 * update): what they will do and what that means for the people using it, as plain data every face
 * shows before asking for an explicit yes. Outside safety mode they run without the question.
 */
export type DisruptiveAction = 'restart' | 'update';

export interface Disruption {
  action: DisruptiveAction;
  project: string;
  /** One sentence: what is about to happen. */
  headline: string;
  /** How long it is down, in words ("about a minute, until every service is healthy again"). */
  downtime: string;
  /** The services that go down and come back. */
  services: string[];
  /** What that means, in plain words. */
  consequences: string[];
}

export interface DisruptionInput {
  action: DisruptiveAction;
  project: string;
  services: string[];
  downtime: string;
  /** Update: from and to. */
  fromVersion?: string;
  toVersion?: string;
  /** Anything else the action knows it does (e.g. "the cache volumes are cleared", "a backup is taken first"). */
  also?: string[];
}

export function describeDisruption(input: DisruptionInput): Disruption {
  const count = input.services.length;
  const serviceWords = count === 0 ? 'its services' : `its ${count} service${count === 1 ? '' : 's'}`;
  const headline =
    input.action === 'restart'
      ? `Restart ${input.project}: stop and start ${serviceWords}.`
      : `Update ${input.project}${input.fromVersion ? ` from ${input.fromVersion}` : ''}${input.toVersion ? ` to ${input.toVersion}` : ''}: replace ${serviceWords} with the new version.`;
  return {
    action: input.action,
    project: input.project,
    headline,
    downtime: input.downtime,
    services: input.services,
    consequences: [
      `${input.project} is unreachable while this runs (${input.downtime}): people using it see errors until it is back.`,
      'Requests and background jobs running at that moment are cut off; people may have to reload the page.',
      ...(input.also ?? []),
      'No data is deleted.',
    ],
  };
}

/** Whether the action needs the explicit yes: only in safety mode (unset counts as off, as the app has not asked yet). */
export function needsExplicitYes(safetyMode: boolean | undefined): boolean {
  return safetyMode === true;
}

/** A restart plan (server restart) as the disruption safety mode shows before it. */
export function restartDisruption(plan: LifecyclePlan): Disruption {
  return describeDisruption({
    action: 'restart',
    project: plan.project,
    services: plan.services.map((service) => service.service),
    downtime: plan.expectedDowntime.summary.replace(/\.$/, ''),
    also: plan.clearCache && plan.cacheVolumes.length > 0 ? [`The cache volumes are deleted and start empty: ${plan.cacheVolumes.map((volume) => volume.name).join(', ')} (data volumes are never touched).`] : [],
  });
}

/** What an update means for the people using the instance, for safety mode's question. */
export function updateDisruption(plan: UpdatePlan): Disruption {
  const services = [...new Set(plan.images.map((image) => image.split('/').pop()!.split(/[:@]/)[0]!))];
  return describeDisruption({
    action: 'update',
    project: plan.project,
    fromVersion: plan.current,
    toVersion: plan.target,
    services,
    downtime: `from the switch until ${plan.target} is healthy, at most ${plan.healthTimeout} s; a version that does not come up healthy is rolled back by itself`,
    also: ['A backup of the data is taken first.'],
  });
}
