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
  /** Fixed `container_name`s after interpolation: no other container may hold them. */
  containerNames: { service: string; name: string }[];
  /** Seconds Compose gives each service to stop before it kills it (`stop_grace_period`, default 10). */
  stopGraceSeconds: Record<string, number>;
  /** The services each service depends on (Compose stops dependents first). */
  dependsOn: Record<string, string[]>;
}

/** Compose's default stop_grace_period. */
export const DEFAULT_STOP_GRACE_SECONDS = 10;

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
  const facts: ComposeFileFacts = { services: [], oneShotServices: [], images: [], servicesWithoutImage: [], containerNames: [], stopGraceSeconds: {}, dependsOn: {} };
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
    if (typeof service.container_name === 'string') {
      facts.containerNames.push({ service: name, name: interpolate(service.container_name, variables, `${origin}: services.${name}.container_name`) });
    }
    const grace = service.stop_grace_period;
    facts.stopGraceSeconds[name] =
      grace === undefined || grace === null ? DEFAULT_STOP_GRACE_SECONDS : (durationSeconds(interpolate(String(grace), variables, `${origin}: services.${name}.stop_grace_period`)) ?? DEFAULT_STOP_GRACE_SECONDS);
    const dependsOn = service.depends_on;
    facts.dependsOn[name] = Array.isArray(dependsOn) ? dependsOn.map(String) : dependsOn && typeof dependsOn === 'object' ? Object.keys(dependsOn) : [];
    if (dependsOn && typeof dependsOn === 'object' && !Array.isArray(dependsOn)) {
      for (const [dependency, condition] of Object.entries(dependsOn as Record<string, { condition?: string } | null>)) {
        if (condition?.condition === 'service_completed_successfully') oneShots.add(dependency);
      }
    }
  }
  facts.oneShotServices = facts.services.filter((name) => oneShots.has(name));
  return facts;
}

/** A Compose duration ("15s", "1m30s", "500ms", "2h", or plain seconds) in seconds; undefined when unreadable. */
export function durationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, µs: 0.000001, ns: 0.000000001 };
  let total = 0;
  let rest = trimmed;
  while (rest.length > 0) {
    const part = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * units[part[2]!]!;
    rest = rest.slice(part[0].length);
  }
  return trimmed.length > 0 ? total : undefined;
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
