/**
 * Known `<SECRET:…>` tokens in an upload become their values, chunk by chunk: a token split
 * across two chunks is held back until its `>` arrives (up to MAX_TOKEN_BYTES).
 */
const OPEN = Buffer.from('<SECRET:');
const LESS = 0x3c;
const GREATER = 0x3e;
const MAX_TOKEN_BYTES = 512;

function restoreBytes(bytes: Buffer, restore: (text: string) => string): Buffer {
  let at = 0;
  const parts: Buffer[] = [];
  for (let open = bytes.indexOf(OPEN); open !== -1; open = bytes.indexOf(OPEN, at)) {
    const close = bytes.indexOf(GREATER, open);
    if (close === -1) break;
    const token = bytes.toString('utf8', open, close + 1);
    const value = close - open < MAX_TOKEN_BYTES ? restore(token) : token;
    if (value === token) {
      parts.push(bytes.subarray(at, open + 1));
      at = open + 1;
      continue;
    }
    parts.push(bytes.subarray(at, open), Buffer.from(value, 'utf8'));
    at = close + 1;
  }
  if (at === 0) return bytes;
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

export async function* restoreUpload(chunks: AsyncIterable<Uint8Array>, restore: (text: string) => string): AsyncIterable<Uint8Array> {
  let carry = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lastOpen = bytes.lastIndexOf(LESS);
    const unfinished = lastOpen !== -1 && bytes.indexOf(GREATER, lastOpen) === -1 && bytes.length - lastOpen < MAX_TOKEN_BYTES;
    const keep = unfinished ? lastOpen : bytes.length;
    carry = Buffer.from(bytes.subarray(keep));
    if (keep > 0) yield restoreBytes(bytes.subarray(0, keep), restore);
  }
  if (carry.length > 0) yield restoreBytes(carry, restore);
}

/** The upload checked against the size the request announced (before tokens are restored, which changes its size). */
export async function* exactUpload(size: number, chunks: AsyncIterable<Uint8Array>, tooLong: () => Error, tooShort: (received: number) => Error): AsyncIterable<Uint8Array> {
  let received = 0;
  for await (const chunk of chunks) {
    received += chunk.byteLength;
    if (received > size) throw tooLong();
    yield chunk;
  }
  if (received !== size) throw tooShort(received);
}
