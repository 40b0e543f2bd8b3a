/**
 * A container summary from an inspect alone (no list entry): refreshing the one container an
 * engine event names costs one request instead of listing the whole project again.
 */
import { summarizeContainer, type InspectedContainer, type ListedContainer } from './container-summary.js';
import type { ContainerSummary } from './types.js';

export interface InspectedWithPorts extends InspectedContainer {
  /** "8000/tcp" → the host bindings, as inspect reports them (null while not running). */
  NetworkSettings?: { Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null } | null;
}

function listedPorts(ports: NonNullable<NonNullable<InspectedWithPorts['NetworkSettings']>['Ports']>): NonNullable<ListedContainer['Ports']> {
  const result: NonNullable<ListedContainer['Ports']> = [];
  for (const [key, bindings] of Object.entries(ports)) {
    const [port, type] = key.split('/');
    const privatePort = Number(port);
    for (const binding of bindings ?? []) {
      const publicPort = Number(binding.HostPort);
      if (Number.isInteger(privatePort) && Number.isInteger(publicPort) && publicPort > 0) {
        result.push({ IP: binding.HostIp ?? '', PrivatePort: privatePort, PublicPort: publicPort, ...(type ? { Type: type } : {}) });
      }
    }
  }
  return result;
}

export function summaryFromInspect(inspected: InspectedWithPorts): ContainerSummary {
  const listed: ListedContainer = {
    Id: inspected.Id,
    ...(inspected.Name ? { Names: [inspected.Name] } : {}),
    ...(inspected.Config?.Image ? { Image: inspected.Config.Image } : {}),
    ...(inspected.State?.Status ? { State: inspected.State.Status } : {}),
    Labels: inspected.Config?.Labels ?? null,
    Ports: listedPorts(inspected.NetworkSettings?.Ports ?? {}),
  };
  return summarizeContainer(listed, inspected);
}
