/**
 * Listening TCP sockets from /proc/net/tcp and tcp6, each with the process that holds it: the
 * socket's inode is found among the processes' open file descriptors.
 */
import { readFile } from 'node:fs/promises';
import { processIds, processName, socketInodes } from './processes.js';
import type { HostPort } from './types.js';

const LISTEN = '0A';

export interface ListeningSocket {
  address: string;
  port: number;
  inode: string;
}

/** "0100007F" → 127.0.0.1: the kernel prints each 32-bit word in host (little-endian) order. */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16)).join('.');
}

function ipv6(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) {
    const part = hex.slice(word * 8, word * 8 + 8);
    for (const at of [6, 4, 2, 0]) bytes.push(parseInt(part.slice(at, at + 2), 16));
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // URL normalises an IPv6 address to its short form ("::1", "::ffff:7f00:1").
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

export function parseProcNetTcp(text: string, family: 4 | 6): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== LISTEN) continue;
    const [addressHex, portHex] = fields[1]!.split(':') as [string, string];
    sockets.push({ address: family === 4 ? ipv4(addressHex) : ipv6(addressHex), port: parseInt(portHex, 16), inode: fields[9]! });
  }
  return sockets;
}

export async function readListeningPorts(): Promise<HostPort[]> {
  const [tcp, tcp6] = await Promise.all([readFile('/proc/net/tcp', 'utf8').catch(() => ''), readFile('/proc/net/tcp6', 'utf8').catch(() => '')]);
  const sockets = [...parseProcNetTcp(tcp, 4), ...parseProcNetTcp(tcp6, 6)];
  const wanted = new Set(sockets.map((socket) => socket.inode).filter((inode) => inode !== '0'));
  const holders = new Map<string, number>();
  if (wanted.size > 0) {
    for (const pid of await processIds()) {
      for (const inode of await socketInodes(pid)) if (wanted.has(inode) && !holders.has(inode)) holders.set(inode, pid);
      if (holders.size === wanted.size) break;
    }
  }
  const names = new Map<number, string | undefined>();
  const ports: HostPort[] = [];
  const seen = new Set<string>();
  for (const socket of sockets.sort((a, b) => a.port - b.port || a.address.localeCompare(b.address))) {
    const key = `${socket.address}:${socket.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pid = holders.get(socket.inode);
    if (pid !== undefined && !names.has(pid)) names.set(pid, await processName(pid));
    const name = pid !== undefined ? names.get(pid) : undefined;
    ports.push({ port: socket.port, address: socket.address, ...(pid !== undefined ? { pid } : {}), ...(name ? { process: name } : {}) });
  }
  return ports;
}
