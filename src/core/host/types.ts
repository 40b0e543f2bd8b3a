/** What this machine is doing, for remote access (the `host` op and every `--with-host` answer). */
export interface HostPort {
  port: number;
  address: string;
  /** The process holding the socket, when this user may see it (root sees all). */
  pid?: number;
  process?: string;
}

export interface HostContainer {
  name: string;
  image: string;
  state: string;
  health?: string;
}

export interface HostScript {
  pid: number;
  /** The command line, with values of secret-looking arguments masked. */
  command: string;
  cwd?: string;
}

export interface HostFacts {
  takenAt: string;
  uptimeSeconds: number;
  cpu: { cores: number; usedPercent: number; load: [number, number, number] };
  memory: { totalBytes: number; availableBytes: number };
  disks: { mount: string; totalBytes: number; freeBytes: number }[];
  ports: HostPort[];
  containers: HostContainer[] | { unavailable: string };
  scripts: HostScript[];
}

/** The part of the Docker engine host facts use (src/docker's engine has it). */
export interface ContainerLister {
  allContainers(): Promise<HostContainer[]>;
}
