import type { UpdatePlan } from './types.js';

/** "v1.1.0 is the newest stable release", or, when the installed one is not the newest, "is already on v1.1.0 (…)". */
export function upToDateText(plan: Pick<UpdatePlan, 'current' | 'latest' | 'channel'>): string {
  if (plan.latest && plan.latest !== plan.current) return `is already on ${plan.current} (the newest ${plan.channel} release is ${plan.latest})`;
  return `${plan.current} is the newest ${plan.channel} release`;
}
