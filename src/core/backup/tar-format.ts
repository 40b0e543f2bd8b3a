/**
 * The few bits of the tar format (POSIX ustar) our backup archives use: regular files only,
 * 512-byte headers, sizes in octal or, past 8 GiB, GNU base-256 (GNU tar and bsdtar read both).
 */

export const BLOCK = 512;
const MAX_OCTAL_SIZE = 8 ** 11 - 1;

export function paddingFor(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function writeString(block: Buffer, text: string, offset: number, length: number): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > length) throw new Error(`tar field too long: ${text}`);
  bytes.copy(block, offset);
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  writeString(block, `${value.toString(8).padStart(length - 1, '0')}\0`, offset, length);
}

function writeSize(block: Buffer, size: number): void {
  if (size <= MAX_OCTAL_SIZE) return writeOctal(block, size, 124, 12);
  let value = BigInt(size);
  for (let i = 11; i >= 1; i--) {
    block[124 + i] = Number(value & 0xffn);
    value >>= 8n;
  }
  block[124] = 0x80;
}

/** Splits a long name into ustar's prefix (155) and name (100) at a "/". */
function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let cut = name.indexOf('/'); cut !== -1; cut = name.indexOf('/', cut + 1)) {
    const prefix = name.slice(0, cut);
    const rest = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { prefix, name: rest };
  }
  throw new Error(`name too long for a tar header: ${name}`);
}

/** The 512-byte header of a regular file. */
export function fileHeader(name: string, size: number, mode: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK);
  const split = splitName(name);
  writeString(block, split.name, 0, 100);
  writeOctal(block, mode & 0o7777, 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  writeSize(block, size);
  writeOctal(block, Math.floor(mtime.getTime() / 1000), 136, 12);
  block.fill(0x20, 148, 156);
  block[156] = 0x30; // '0': regular file
  writeString(block, 'ustar\0', 257, 6);
  writeString(block, '00', 263, 2);
  writeString(block, split.prefix, 345, 155);
  writeOctal(block, checksumOf(block), 148, 7);
  block[155] = 0x20;
  return block;
}

function checksumOf(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

export interface ParsedHeader {
  name: string;
  size: number;
  /** The ustar type flag: "0" regular file, "5" directory, "x" pax, ... */
  type: string;
}

function readString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function readSize(block: Buffer): number | undefined {
  if ((block[124]! & 0x80) !== 0) {
    let value = 0n;
    for (let i = 1; i < 12; i++) value = (value << 8n) | BigInt(block[124 + i]!);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(value);
  }
  const text = readString(block, 124, 12).trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

export function isZeroBlock(block: Buffer): boolean {
  return block.every((byte) => byte === 0);
}

/** Parses a header; undefined when it is not a valid ustar header (bad checksum, bad size). */
export function parseHeader(block: Buffer): ParsedHeader | undefined {
  const stored = readString(block, 148, 8).trim();
  if (!/^[0-7]+$/.test(stored) || parseInt(stored, 8) !== checksumOf(block)) return undefined;
  const size = readSize(block);
  if (size === undefined) return undefined;
  const name = readString(block, 0, 100);
  const prefix = readString(block, 345, 155);
  const type = String.fromCharCode(block[156]! || 0x30);
  return { name: prefix ? `${prefix}/${name}` : name, size, type };
}
