import { OpenmatesError } from './errors.js';
import { memoizedParse } from './parse-memo.js';

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

/**
 * The parts of a compose file the facts come from, before variables are filled in: plain data,
 * so src/core/parse-memo.ts can keep it and `status` need not load the YAML parser.
 */
export interface ComposeShape {
  /** In file order; services behind a profile are left out. */
  services: {
    name: string;
    image?: string;
    containerName?: string;
    stopGracePeriod?: string;
    dependsOn: string[];
    /** The services this one waits for with `condition: service_completed_successfully`. */
    waitsToComplete: string[];
  }[];
}

/** Compose's default stop_grace_period. */
export const DEFAULT_STOP_GRACE_SECONDS = 10;

export type Variables = Record<string, string | undefined>;

export function composeFactsOf(shape: ComposeShape, origin: string, variables: Variables): ComposeFileFacts {
  const facts: ComposeFileFacts = { services: [], oneShotServices: [], images: [], servicesWithoutImage: [], containerNames: [], stopGraceSeconds: {}, dependsOn: {} };
  const oneShots = new Set<string>();
  for (const service of shape.services) {
    const { name } = service;
    facts.services.push(name);
    if (service.image !== undefined) {
      const image = interpolate(service.image, variables, `${origin}: services.${name}.image`);
      if (!facts.images.includes(image)) facts.images.push(image);
    } else {
      facts.servicesWithoutImage.push(name);
    }
    if (service.containerName !== undefined) {
      facts.containerNames.push({ service: name, name: interpolate(service.containerName, variables, `${origin}: services.${name}.container_name`) });
    }
    const grace = service.stopGracePeriod;
    facts.stopGraceSeconds[name] =
      grace === undefined ? DEFAULT_STOP_GRACE_SECONDS : (durationSeconds(interpolate(grace, variables, `${origin}: services.${name}.stop_grace_period`)) ?? DEFAULT_STOP_GRACE_SECONDS);
    facts.dependsOn[name] = service.dependsOn;
    for (const dependency of service.waitsToComplete) oneShots.add(dependency);
  }
  facts.oneShotServices = facts.services.filter((name) => oneShots.has(name));
  return facts;
}

/** readComposeFacts for a read-only command: the same facts, the YAML parsed only when this text was not seen before. */
export async function readComposeFactsRemembered(source: string, origin: string, variables: Variables): Promise<ComposeFileFacts> {
  const shape = await memoizedParse('compose', source, async () => (await import('./compose-file.js')).composeShape(source, origin));
  return composeFactsOf(shape, origin, variables);
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
