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

/** Splits a long name into ustar's prefix (155) and name (100) at a "/"; undefined when it cannot. */
function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let cut = name.indexOf('/'); cut !== -1; cut = name.indexOf('/', cut + 1)) {
    const prefix = name.slice(0, cut);
    const rest = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { prefix, name: rest };
  }
  return undefined;
}

const LONG_NAME = '././@LongLink';

/**
 * The header blocks of a regular file: one ustar header, preceded by a GNU long-name entry
 * ("L") when the name does not fit ustar's fields. Its length depends on the name only.
 */
export function fileHeader(name: string, size: number, mode: number, mtime: Date): Buffer {
  const split = splitName(name);
  if (split) return ustarHeader(split, size, mode, mtime, 0x30);
  const longName = Buffer.from(`${name}\0`, 'utf8');
  return Buffer.concat([
    ustarHeader({ prefix: '', name: LONG_NAME }, longName.length, 0o644, new Date(0), 0x4c),
    longName,
    Buffer.alloc(paddingFor(longName.length)),
    ustarHeader({ prefix: '', name: name.slice(0, 100) }, size, mode, mtime, 0x30),
  ]);
}

function ustarHeader(split: { prefix: string; name: string }, size: number, mode: number, mtime: Date, type: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  while (Buffer.byteLength(split.name) > 100) split = { ...split, name: split.name.slice(0, -1) };
  writeString(block, split.name, 0, 100);
  writeOctal(block, mode & 0o7777, 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  writeSize(block, size);
  writeOctal(block, Math.floor(mtime.getTime() / 1000), 136, 12);
  block.fill(0x20, 148, 156);
  block[156] = type; // '0' regular file, 'L' GNU long name
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
