import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ComposeCli, DockerEngine } from '../../docker/types.js';
import { OpenmatesError } from '../errors.js';
import type { Stack } from '../stack/schema.js';
import { isPortFree, processListeningOn } from './port-holder.js';
import type { PreflightCheck } from './types.js';

const GB = 1024 ** 3;
const SUPPORTED_ARCHITECTURES = ['x86_64', 'amd64', 'aarch64', 'arm64'];

export interface PreflightInput {
  engine: DockerEngine;
  compose: () => Promise<ComposeCli>;
  stack: Stack;
  installDir: string;
  strictRequirements: boolean;
}

/**
 * Everything that can be known to fail before anything is changed. An unreachable engine throws
 * (nothing else can be checked); every other problem becomes a check with a hint.
 */
export async function runPreflight(input: PreflightInput): Promise<PreflightCheck[]> {
  const { engine, stack } = input;
  await engine.ping();
  const info = await engine.info();
  const requirementLevel = input.strictRequirements ? 'error' : 'warning';
  const checks: PreflightCheck[] = [
    { name: 'Docker engine', level: 'ok', detail: `Docker ${info.serverVersion} at ${engine.endpoint}` },
    await checkCompose(input.compose),
    ...(await Promise.all(stack.ports.map((port) => checkPort(engine, stack.name, port)))),
    checkMemory(info.memoryBytes, stack.requirements.memoryGB, requirementLevel),
    await checkDisk(input.installDir, stack.requirements.diskGB, requirementLevel),
    checkArchitecture(info.architecture),
  ];
  return checks;
}

async function checkCompose(detect: () => Promise<ComposeCli>): Promise<PreflightCheck> {
  try {
    const compose = await detect();
    return { name: 'Docker Compose', level: 'ok', detail: `${compose.command} ${compose.version}` };
  } catch (error) {
    // A bad OPENMATES_COMPOSE is the user's input, not this server's: exit 2, not a failed check.
    if (error instanceof OpenmatesError && error.kind !== 'usage') return { name: 'Docker Compose', level: 'error', detail: error.message, hint: error.hint };
    throw error;
  }
}

async function checkPort(engine: DockerEngine, project: string, port: number): Promise<PreflightCheck> {
  const name = `Port ${port}`;
  const free = await isPortFree(port);
  if (free === true) return { name, level: 'ok', detail: 'free' };
  const containers = await engine.containersPublishingPort(port);
  if (containers.length > 0 && containers.every((container) => container.project === project)) {
    return { name, level: 'ok', detail: `used by this install (${containers[0]!.name})` };
  }
  if (free === 'unknown') {
    return { name, level: 'warning', detail: 'could not be checked', hint: `Make sure nothing else listens on port ${port}.` };
  }
  const holder = containers[0]
    ? `container ${containers[0].name}${containers[0].project ? ` of project ${containers[0].project}` : ''}`
    : await processListeningOn(port);
  return {
    name,
    level: 'error',
    detail: holder ? `in use by ${holder}` : 'in use by another program',
    hint: `Stop what listens on port ${port}${holder ? ` (${holder})` : ''} and run install again.`,
  };
}

function checkMemory(memoryBytes: number, requiredGB: number | undefined, level: 'warning' | 'error'): PreflightCheck {
  const haveGB = memoryBytes / GB;
  if (requiredGB === undefined || haveGB + 0.25 >= requiredGB) {
    return { name: 'Memory', level: 'ok', detail: `${haveGB.toFixed(1)} GB` };
  }
  return {
    name: 'Memory',
    level,
    detail: `${haveGB.toFixed(1)} GB, the stack needs ${requiredGB} GB`,
    hint: level === 'error' ? 'Add memory, or install without --strict-requirements to go on with a warning.' : 'It may run slowly or be stopped by the kernel when memory runs out.',
  };
}

async function checkDisk(installDir: string, requiredGB: number | undefined, level: 'warning' | 'error'): Promise<PreflightCheck> {
  const freeGB = await freeSpaceGB(installDir);
  if (freeGB === undefined) return { name: 'Disk', level: 'warning', detail: 'free space could not be read', hint: undefined };
  if (requiredGB === undefined || freeGB >= requiredGB) return { name: 'Disk', level: 'ok', detail: `${freeGB.toFixed(1)} GB free` };
  return {
    name: 'Disk',
    level,
    detail: `${freeGB.toFixed(1)} GB free, the stack needs ${requiredGB} GB`,
    hint: level === 'error' ? 'Free some space, or install without --strict-requirements to go on with a warning.' : 'Images and data may fill the disk; free some space soon.',
  };
}

/** Free space of the file system the install dir is (or will be) on. */
async function freeSpaceGB(path: string): Promise<number | undefined> {
  for (let current = path; ; current = dirname(current)) {
    try {
      const stats = await statfs(current);
      return (stats.bavail * stats.bsize) / GB;
    } catch {
      if (dirname(current) === current) return undefined;
    }
  }
}

function checkArchitecture(architecture: string): PreflightCheck {
  if (SUPPORTED_ARCHITECTURES.includes(architecture)) return { name: 'Architecture', level: 'ok', detail: architecture };
  return {
    name: 'Architecture',
    level: 'warning',
    detail: `${architecture} is not one the images are published for (x86_64, aarch64)`,
    hint: 'Pulling may fail with "no matching manifest".',
  };
}
