import { parse } from 'yaml';
import { OpenmatesError } from './errors.js';

/** What the core needs to know of a compose file; Compose itself stays the authority on the rest. */
export interface ComposeFileFacts {
  /** Services started by a plain `up` (services behind a profile are left out). */
  services: string[];
  /** Services others wait for with `condition: service_completed_successfully`: they run once and exit. */
  oneShotServices: string[];
  /** Image references after variable interpolation, de-duplicated, in file order. */
  images: string[];
  /** Services that have `build:` and no `image:` (we cannot pull those). */
  servicesWithoutImage: string[];
}

type Variables = Record<string, string | undefined>;

export function readComposeFacts(source: string, origin: string, variables: Variables): ComposeFileFacts {
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
  const facts: ComposeFileFacts = { services: [], oneShotServices: [], images: [], servicesWithoutImage: [] };
  const oneShots = new Set<string>();
  for (const [name, raw] of Object.entries(services as Record<string, Record<string, unknown> | null>)) {
    const service = raw ?? {};
    if (Array.isArray(service.profiles) && service.profiles.length > 0) continue;
    facts.services.push(name);
    if (typeof service.image === 'string') {
      const image = interpolate(service.image, variables, `${origin}: services.${name}.image`);
      if (!facts.images.includes(image)) facts.images.push(image);
    } else {
      facts.servicesWithoutImage.push(name);
    }
    const dependsOn = service.depends_on;
    if (dependsOn && typeof dependsOn === 'object' && !Array.isArray(dependsOn)) {
      for (const [dependency, condition] of Object.entries(dependsOn as Record<string, { condition?: string } | null>)) {
        if (condition?.condition === 'service_completed_successfully') oneShots.add(dependency);
      }
    }
  }
  facts.oneShotServices = facts.services.filter((name) => oneShots.has(name));
  return facts;
}

/**
 * Compose's variable syntax: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
 * ${VAR?error}, and $$ for a literal dollar.
 */
export function interpolate(text: string, variables: Variables, where: string): string {
  return text.replace(/\$\$|\$\{([^}]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    if (bare !== undefined) return variables[bare] ?? '';
    const expression = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])(.*))?$/s.exec(braced!);
    if (!expression) throw new OpenmatesError('invalid-stack', `${where}: cannot read the variable "${match}".`);
    const [, name, colon, operator, argument = ''] = expression;
    const value = variables[name!];
    const unset = colon ? value === undefined || value === '' : value === undefined;
    switch (operator) {
      case '-':
        return unset ? interpolate(argument, variables, where) : value!;
      case '?':
        if (unset) throw new OpenmatesError('invalid-stack', `${where}: ${name} is required${argument ? `: ${argument}` : ''}.`);
        return value!;
      case '+':
        return unset ? '' : interpolate(argument, variables, where);
      default:
        return value ?? '';
    }
  });
}
