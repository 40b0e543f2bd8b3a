import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

/** Debian's tcpdump, installed by scripts/test-env/ensure-tools.sh. */
const TCPDUMP = ['/usr/bin/tcpdump', '/usr/sbin/tcpdump'].find((path) => existsSync(path));

/** One direction of one TCP connection, its bytes in sequence order. */
export interface TcpStream {
  from: string;
  to: string;
  bytes: Buffer;
}

export interface LoopbackCapture {
  /** Stops tcpdump and answers what it captured: every connection's two directions, reassembled. */
  stop(): Promise<{ streams: TcpStream[]; payloadBytes: number; packets: number }>;
}

/** tcpdump on the loopback interface for one TCP port, writing a pcap file, until stop(). */
export async function captureLoopback(port: number): Promise<LoopbackCapture> {
  if (!TCPDUMP) throw new Error('No tcpdump: run `bash scripts/test-env/ensure-tools.sh` (as root; it installs Debian\'s tcpdump).');
  const dir = await mkdtemp(join(tmpdir(), 'omt-capture-'));
  const file = join(dir, 'relay.pcap');
  // --immediate-mode and -U: each packet handed over and written as it comes (else the kernel's
  // buffer holds the last second's, and a stop loses them); -s 0: whole packets; -n: no look-ups.
  const child: ResultPromise = execa(TCPDUMP, ['-i', 'lo', '-n', '--immediate-mode', '-U', '-s', '0', '-w', file, 'tcp', 'port', String(port)], { reject: false, stdin: 'ignore' });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 15_000;
  while (!/listening on lo/.test(stderr)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`tcpdump did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    async stop() {
      child.kill('SIGINT');
      await child;
      // A kernel drop would leave a hole in a stream: say so rather than report a parsing puzzle.
      try {
        const dropped = Number(/(\d+) packets? dropped by kernel/.exec(stderr)?.[1] ?? 0);
        if (dropped > 0) throw new Error(`tcpdump: ${dropped} packets dropped by the kernel; the capture is incomplete (${stderr.trim()})`);
        return reassemble(parsePcap(await readFile(file)));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

interface Segment {
  key: string;
  from: string;
  to: string;
  seq: number;
  syn: boolean;
  payload: Buffer;
}

/** The TCP segments of a classic pcap file (Ethernet or Linux cooked link layer, IPv4 or IPv6). */
function parsePcap(file: Buffer): Segment[] {
  const magic = file.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && file.readUInt32BE(0) !== 0xa1b2c3d4 && file.readUInt32BE(0) !== 0xa1b23c4d) throw new Error('not a pcap file');
  const u32 = (offset: number) => (little ? file.readUInt32LE(offset) : file.readUInt32BE(offset));
  const linkType = u32(20);
  const linkHeader = linkType === 1 ? 14 : linkType === 113 ? 16 : linkType === 101 ? 0 : -1;
  if (linkHeader < 0) throw new Error(`unexpected pcap link type ${linkType}`);
  const segments: Segment[] = [];
  for (let offset = 24; offset + 16 <= file.length; ) {
    const captured = u32(offset + 8);
    const original = u32(offset + 12);
    if (captured !== original) throw new Error(`a packet was cut by the snap length (${captured} of ${original} bytes)`);
    const packet = file.subarray(offset + 16, offset + 16 + captured);
    offset += 16 + captured;
    const ip = packet.subarray(linkHeader);
    const version = ip[0]! >> 4;
    let tcp: Buffer;
    let source: string;
    let target: string;
    if (version === 4) {
      const headerLength = (ip[0]! & 0x0f) * 4;
      if (ip[9] !== 6) continue;
      tcp = ip.subarray(headerLength, ip.readUInt16BE(2));
      source = [...ip.subarray(12, 16)].join('.');
      target = [...ip.subarray(16, 20)].join('.');
    } else if (version === 6) {
      if (ip[6] !== 6) continue;
      tcp = ip.subarray(40, 40 + ip.readUInt16BE(4));
      source = ip.subarray(8, 24).toString('hex');
      target = ip.subarray(24, 40).toString('hex');
    } else continue;
    const from = `${source}:${tcp.readUInt16BE(0)}`;
    const to = `${target}:${tcp.readUInt16BE(2)}`;
    const dataOffset = (tcp[12]! >> 4) * 4;
    segments.push({ key: `${from}>${to}`, from, to, seq: tcp.readUInt32BE(4), syn: (tcp[13]! & 0x02) !== 0, payload: Buffer.from(tcp.subarray(dataOffset)) });
  }
  return segments;
}

/** Each direction's payload in sequence order, retransmitted bytes once; a hole is an error (nothing on loopback is lost). */
function reassemble(segments: Segment[]): { streams: TcpStream[]; payloadBytes: number; packets: number } {
  const byKey = new Map<string, Segment[]>();
  for (const segment of segments) byKey.set(segment.key, [...(byKey.get(segment.key) ?? []), segment]);
  const streams: TcpStream[] = [];
  let payloadBytes = 0;
  for (const [key, list] of byKey) {
    const syn = list.find((segment) => segment.syn);
    if (!syn) throw new Error(`the capture missed the start of ${key}: start it before any connection on the port`);
    // Offsets from the first data byte (SYN + 1), modulo 2^32.
    const first = (syn.seq + 1) >>> 0;
    const parts = list
      .filter((segment) => segment.payload.length > 0)
      .map((segment) => ({ at: (segment.seq - first) >>> 0, payload: segment.payload }))
      .sort((a, b) => a.at - b.at);
    const chunks: Buffer[] = [];
    let next = 0;
    for (const part of parts) {
      if (part.at > next) throw new Error(`a hole in ${key} at byte ${next}`);
      const fresh = part.payload.subarray(next - part.at);
      if (fresh.length === 0) continue;
      chunks.push(fresh);
      next += fresh.length;
    }
    payloadBytes += next;
    streams.push({ from: syn.from, to: syn.to, bytes: Buffer.concat(chunks) });
  }
  return { streams, payloadBytes, packets: segments.length };
}
