import { createServer } from 'node:net';
import { readFile, readdir, readlink } from 'node:fs/promises';

/** True when nothing listens on the port (on any address). */
export function isPortFree(port: number): Promise<boolean | 'unknown'> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolvePromise(error.code === 'EADDRINUSE' ? false : 'unknown'));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}

/**
 * The process listening on a TCP port, as "nginx (pid 812)", when /proc lets us see it
 * (it does for our own user, and for everyone as root); undefined otherwise.
 */
export async function processListeningOn(port: number): Promise<string | undefined> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = fields[1]?.split(':').at(-1);
      // State 0A is LISTEN.
      if (localPort && parseInt(localPort, 16) === port && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  const pids = await readdir('/proc').catch(() => [] as string[]);
  for (const pid of pids.filter((name) => /^\d+$/.test(name))) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        const name = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => 'a process')).trim();
        return `${name} (pid ${pid})`;
      }
    }
  }
  return undefined;
}
