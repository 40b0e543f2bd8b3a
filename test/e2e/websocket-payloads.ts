/**
 * What a WebSocket connection carried, from one direction's bytes (RFC 6455): the HTTP upgrade,
 * then every frame's payload, unmasked (a client masks what it sends, so plaintext sent by a
 * client would not show in the raw bytes). Compressed frames are reported: their payload could
 * hide plaintext from a search, so a test must not accept them.
 */
export interface WebSocketDirection {
  /** The HTTP request or response before the frames. */
  head: string;
  /** Every frame's payload, unmasked, concatenated in order. */
  payload: Buffer;
  frames: number;
  /** Frames with RSV1 set (permessage-deflate). */
  compressed: number;
}

export function webSocketDirection(bytes: Buffer): WebSocketDirection {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP head in ${JSON.stringify(bytes.subarray(0, 80).toString('latin1'))}`);
  const head = bytes.subarray(0, end).toString('latin1');
  const payloads: Buffer[] = [];
  let frames = 0;
  let compressed = 0;
  let offset = end + 4;
  // A plain HTTP answer (a 503 page, the web page) carries no frames.
  if (!/^GET |^HTTP\/1\.1 101/.test(head)) return { head, payload: Buffer.from(bytes.subarray(offset)), frames, compressed };
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length) throw new Error(`a frame header cut off at byte ${offset}`);
    const first = bytes[offset]!;
    const second = bytes[offset + 1]!;
    let length = second & 0x7f;
    let at = offset + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at));
      at += 8;
    }
    const masked = (second & 0x80) !== 0;
    const mask = masked ? bytes.subarray(at, at + 4) : undefined;
    if (masked) at += 4;
    if (at + length > bytes.length) {
      // The connection ended mid-frame (a kill): what arrived still counts.
      length = bytes.length - at;
    }
    const payload = Buffer.from(bytes.subarray(at, at + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
    payloads.push(payload);
    frames++;
    if ((first & 0x40) !== 0) compressed++;
    offset = at + length;
  }
  return { head, payload: Buffer.concat(payloads), frames, compressed };
}
