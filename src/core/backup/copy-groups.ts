/** Volumes copied together, and the services stopped for them: those services write to them and to no other group's. */
export interface CopyGroup {
  volumes: string[];
  services: string[];
}

/**
 * Splits the volumes into groups so each service is stopped once, for as short a time as
 * possible: a service mounting two volumes joins their groups; a volume nobody writes to is a
 * group of its own with nothing to stop. Volumes keep their order.
 */
export function copyGroups(volumes: string[], writersOf: (volume: string) => string[]): CopyGroup[] {
  const groups: CopyGroup[] = [];
  for (const volume of volumes) {
    const services = writersOf(volume);
    const joined = groups.filter((group) => group.services.some((service) => services.includes(service)));
    const merged: CopyGroup = {
      volumes: [...joined.flatMap((group) => group.volumes), volume],
      services: [...new Set([...joined.flatMap((group) => group.services), ...services])],
    };
    const at = joined.length > 0 ? groups.indexOf(joined[0]!) : groups.length;
    for (const group of joined) groups.splice(groups.indexOf(group), 1);
    groups.splice(Math.min(at, groups.length), 0, merged);
  }
  return groups;
}
