/** Disk space per real mount, from /proc/self/mounts; pseudo file systems and bind mounts of the same device are left out. */
import { readFile, stat, statfs } from 'node:fs/promises';

const PSEUDO_TYPES = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'ramfs', 'cgroup', 'cgroup2', 'securityfs', 'pstore', 'debugfs', 'tracefs', 'configfs',
  'fusectl', 'mqueue', 'hugetlbfs', 'bpf', 'autofs', 'binfmt_misc', 'rpc_pipefs', 'nsfs', 'efivarfs', 'selinuxfs', 'squashfs', 'overlay', 'nfsd', 'fuse.gvfsd-fuse', 'fuse.portal', 'fuse.lxcfs',
]);
const MAX_DISKS = 64;

export interface MountLine {
  device: string;
  mount: string;
  type: string;
}

/** Mount points escape space, tab, newline and backslash as octal (\040). */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMounts(text: string): MountLine[] {
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 3)
    .map(([device, mount, type]) => ({ device: device!, mount: unescapeMount(mount!), type: type! }));
}

export function isRealMount(line: MountLine): boolean {
  // The root of a container is an overlay: keep `/` whatever it is.
  return line.mount === '/' || !PSEUDO_TYPES.has(line.type);
}

export async function readDisks(): Promise<{ mount: string; totalBytes: number; freeBytes: number }[]> {
  const text = await readFile('/proc/self/mounts', 'utf8').catch(() => '/ / unknown');
  const seen = new Set<string>();
  const disks: { mount: string; totalBytes: number; freeBytes: number }[] = [];
  for (const line of parseMounts(text).filter(isRealMount)) {
    if (disks.length >= MAX_DISKS) break;
    try {
      const [info, fs] = await Promise.all([stat(line.mount), statfs(line.mount)]);
      const device = String(info.dev);
      if (seen.has(device) || fs.blocks === 0) continue;
      seen.add(device);
      disks.push({ mount: line.mount, totalBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize });
    } catch {
      // Not ours to read (another user's FUSE mount, a stale network mount): left out.
    }
  }
  return disks;
}
