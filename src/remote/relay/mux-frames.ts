/**
 * The frames on an agent's one socket to the relay, after the key proof (docs/remote-protocol.md
 * "Relay"). Each is one binary WebSocket message: a type byte, the client id (uint32, big endian),
 * then the type's payload. The relay never looks inside `text`/`binary` payloads: they are the
 * client's WebSocket messages as they came (sealed frames and the plain handshake).
 */
export const MUX = {
  /** relay → agent: a client connected. Payload: none. */
  open: 0x01,
  /** both ways: one text message of the client. Payload: its UTF-8 bytes. */
  text: 0x02,
  /** both ways: one binary message of the client. Payload: its bytes. */
  binary: 0x03,
  /** both ways: the client's socket ends. Payload: uint16 close code, then a UTF-8 reason. */
  close: 0x04,
  /** both ways: the receiver consumed this many more payload bytes of `text`/`binary`. Payload: uint32. */
  credit: 0x05,
} as const;

export type MuxFrame =
  | { type: 'open'; client: number }
  /** `bytes` are the message's UTF-8 bytes as they came: the relay does not decode them. */
  | { type: 'text'; client: number; bytes: Uint8Array }
  | { type: 'binary'; client: number; bytes: Uint8Array }
  | { type: 'close'; client: number; code: number; reason: string }
  | { type: 'credit'; client: number; bytes: number };

export const MUX_HEADER_BYTES = 5;
/** Each side may have this many data payload bytes per client unconsumed by the other. */
export const MUX_WINDOW_BYTES = 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function header(type: number, client: number, payloadBytes: number): Uint8Array {
  const frame = new Uint8Array(MUX_HEADER_BYTES + payloadBytes);
  frame[0] = type;
  new DataView(frame.buffer).setUint32(1, client >>> 0);
  return frame;
}

export function encodeMux(frame: MuxFrame): Uint8Array {
  switch (frame.type) {
    case 'open':
      return header(MUX.open, frame.client, 0);
    case 'text':
    case 'binary': {
      const out = header(MUX[frame.type], frame.client, frame.bytes.length);
      out.set(frame.bytes, MUX_HEADER_BYTES);
      return out;
    }
    case 'close': {
      const reason = encoder.encode(frame.reason).subarray(0, 123);
      const out = header(MUX.close, frame.client, 2 + reason.length);
      new DataView(out.buffer).setUint16(MUX_HEADER_BYTES, frame.code);
      out.set(reason, MUX_HEADER_BYTES + 2);
      return out;
    }
    case 'credit': {
      const out = header(MUX.credit, frame.client, 4);
      new DataView(out.buffer).setUint32(MUX_HEADER_BYTES, frame.bytes >>> 0);
      return out;
    }
  }
}

/** undefined for anything malformed (the caller ends the connection). */
export function decodeMux(bytes: Uint8Array): MuxFrame | undefined {
  if (bytes.length < MUX_HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const client = view.getUint32(1);
  const payload = bytes.subarray(MUX_HEADER_BYTES);
  try {
    switch (bytes[0]) {
      case MUX.open:
        return payload.length === 0 ? { type: 'open', client } : undefined;
      case MUX.text:
        return { type: 'text', client, bytes: payload };
      case MUX.binary:
        return { type: 'binary', client, bytes: payload };
      case MUX.close:
        return payload.length >= 2 ? { type: 'close', client, code: view.getUint16(MUX_HEADER_BYTES), reason: decoder.decode(payload.subarray(2)) } : undefined;
      case MUX.credit:
        return payload.length === 4 ? { type: 'credit', client, bytes: view.getUint32(MUX_HEADER_BYTES) } : undefined;
      default:
        return undefined;
    }
  } catch {
    return undefined; // invalid UTF-8
  }
}

