import { parse } from 'yaml';
import { OpenmatesError } from './errors.js';
import { composeFactsOf, type ComposeFileFacts, type ComposeShape, type Variables } from './compose-facts.js';

export { DEFAULT_STOP_GRACE_SECONDS, composeFactsOf, durationSeconds, interpolate, readComposeFactsRemembered, type ComposeFileFacts, type ComposeShape } from './compose-facts.js';

export function readComposeFacts(source: string, origin: string, variables: Variables): ComposeFileFacts {
  return composeFactsOf(composeShape(source, origin), origin, variables);
}

export function composeShape(source: string, origin: string): ComposeShape {
  let document: unknown;
  try {
    document = parse(source, { merge: true, maxAliasCount: 1000 });
  } catch (error) {
    throw new OpenmatesError('invalid-stack', `The compose file ${origin} is not valid YAML: ${(error as Error).message.split('\n')[0]}.`);
  }
  const services = (document as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object') {
    throw new OpenmatesError('invalid-stack', `The compose file ${origin} has no "services" section.`);
  }
  const shape: ComposeShape = { services: [] };
  for (const [name, raw] of Object.entries(services as Record<string, Record<string, unknown> | null>)) {
    const service = raw ?? {};
    if (Array.isArray(service.profiles) && service.profiles.length > 0) continue;
    const grace = service.stop_grace_period;
    const dependsOn = service.depends_on;
    const conditions = dependsOn && typeof dependsOn === 'object' && !Array.isArray(dependsOn) ? Object.entries(dependsOn as Record<string, { condition?: string } | null>) : [];
    shape.services.push({
      name,
      ...(typeof service.image === 'string' ? { image: service.image } : {}),
      ...(typeof service.container_name === 'string' ? { containerName: service.container_name } : {}),
      ...(grace === undefined || grace === null ? {} : { stopGracePeriod: String(grace) }),
      dependsOn: Array.isArray(dependsOn) ? dependsOn.map(String) : dependsOn && typeof dependsOn === 'object' ? Object.keys(dependsOn) : [],
      waitsToComplete: conditions.filter(([, condition]) => condition?.condition === 'service_completed_successfully').map(([dependency]) => dependency),
    });
  }
  return shape;
}
