/**
 * One container as the core sees it, built from what the engine's list and inspect return.
 * Containers belong to a project and a service through the labels Compose v1 and v2 both set.
 */
import type { ContainerBrief, ContainerState, ContainerSummary } from './types.js';

export const CREATED_BY_LABEL = 'com.openmates.created-by';
export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
export const ONEOFF_LABEL = 'com.docker.compose.oneoff';
export const NUMBER_LABEL = 'com.docker.compose.container-number';

export interface ListedContainer {
  Id: string;
  Names?: string[];
  Image?: string;
  State?: string;
  /** Human text: "Up 2 hours (healthy)", "Exited (0) 3 minutes ago". */
  Status?: string;
  Labels?: Record<string, string> | null;
  Ports?: { IP?: string; PrivatePort: number; PublicPort?: number; Type?: string }[] | null;
}

/** "Up 2 hours (healthy)", "Up 3 seconds (health: starting)". */
function healthFromStatus(status: string | undefined): ContainerBrief['health'] {
  const match = /\((healthy|unhealthy|health: starting)\)/.exec(status ?? '');
  if (!match) return undefined;
  return match[1] === 'health: starting' ? 'starting' : (match[1] as 'healthy' | 'unhealthy');
}

export function briefContainer(listed: ListedContainer): ContainerBrief {
  const health = healthFromStatus(listed.Status);
  return { name: withoutSlash(listed.Names?.[0]), image: listed.Image ?? '', state: containerState(listed.State), ...(health ? { health } : {}) };
}

export interface InspectedContainer {
  Id: string;
  Name?: string;
  Created?: string;
  RestartCount?: number;
  State?: { Status?: string; ExitCode?: number; StartedAt?: string; Health?: { Status?: string } };
  Config?: { Image?: string; Tty?: boolean; Labels?: Record<string, string> | null };
  HostConfig?: { RestartPolicy?: { Name?: string } };
}

const CONTAINER_STATES = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
const HEALTH_STATES = new Set(['starting', 'healthy', 'unhealthy']);
/** What the engine reports as StartedAt for a container that never started. */
const NEVER = '0001-01-01T00:00:00Z';

export function containerState(...candidates: (string | undefined)[]): ContainerState {
  for (const candidate of candidates) {
    if (candidate && CONTAINER_STATES.has(candidate as ContainerState)) return candidate as ContainerState;
  }
  return 'dead';
}

export function withoutSlash(name: string | undefined): string {
  return (name ?? '').replace(/^\//, '');
}

function publishedPorts(listed: ListedContainer): ContainerSummary['ports'] {
  return (listed.Ports ?? [])
    .filter((port) => typeof port.PublicPort === 'number' && port.PublicPort > 0)
    .map((port) => ({ hostIp: port.IP ?? '', hostPort: port.PublicPort!, containerPort: port.PrivatePort }));
}

export function summarizeContainer(listed: ListedContainer, inspected: InspectedContainer): ContainerSummary {
  const labels = inspected.Config?.Labels ?? listed.Labels ?? {};
  const health = inspected.State?.Health?.Status;
  const startedAt = inspected.State?.StartedAt;
  const number = Number.parseInt(labels[NUMBER_LABEL] ?? '', 10);
  return {
    id: inspected.Id,
    name: withoutSlash(inspected.Name ?? listed.Names?.[0]),
    service: labels[SERVICE_LABEL] ?? '',
    image: inspected.Config?.Image ?? listed.Image ?? '',
    state: containerState(inspected.State?.Status, listed.State),
    ...(health && HEALTH_STATES.has(health) ? { health: health as ContainerSummary['health'] } : {}),
    exitCode: inspected.State?.ExitCode ?? 0,
    ...(startedAt && startedAt !== NEVER ? { startedAt } : {}),
    restartCount: inspected.RestartCount ?? 0,
    restartPolicy: inspected.HostConfig?.RestartPolicy?.Name || 'no',
    ports: publishedPorts(listed),
    ...(labels[ONEOFF_LABEL] ? { oneOff: labels[ONEOFF_LABEL].toLowerCase() === 'true' } : {}),
    ...(Number.isInteger(number) ? { containerNumber: number } : {}),
    ...(inspected.Created ? { created: inspected.Created } : {}),
  };
}
