/**
 * A chunk of terminal.attach output: 8 bytes (float64, big-endian) with the offset in the
 * terminal's output up to which this chunk brings the reader, then the bytes. For a device that
 * sees secrets the bytes are exactly those of that range; for one that must not, they are the
 * same range redacted (a secret's token is not as long as the secret), so the offset is what a
 * reader sends back as `after` when it attaches again.
 */
const HEADER_BYTES = 8;

export function encodeTerminalChunk(end: number, bytes: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(HEADER_BYTES + bytes.byteLength);
  new DataView(chunk.buffer).setFloat64(0, end);
  chunk.set(bytes, HEADER_BYTES);
  return chunk;
}

export function decodeTerminalChunk(chunk: Uint8Array): { end: number; bytes: Uint8Array } {
  if (chunk.byteLength < HEADER_BYTES) throw new Error(`A terminal chunk needs its ${HEADER_BYTES}-byte header; this one has ${chunk.byteLength} bytes.`);
  const end = new DataView(chunk.buffer, chunk.byteOffset, HEADER_BYTES).getFloat64(0);
  return { end, bytes: chunk.subarray(HEADER_BYTES) };
}

export const TERMINAL_CHUNK_HEADER_BYTES = HEADER_BYTES;
