/**
 * Docker's multiplexed log/attach stream (containers without a TTY): every frame is an 8-byte
 * header (byte 0: 0 stdin, 1 stdout, 2 stderr; bytes 1-3: zero; bytes 4-7: payload length, big
 * endian) followed by the payload. Chunks may split headers and payloads anywhere; the demuxer
 * keeps what it has not finished and carries on with the next chunk.
 *
 * When a header is not valid (the container had a TTY after all, or the stream got misaligned)
 * everything from there on is passed through as stdout, as docker-modem does.
 */

export type StreamName = 'stdin' | 'stdout' | 'stderr';

export interface LogFrame {
  stream: StreamName;
  payload: Buffer;
}

const HEADER_LENGTH = 8;
const STREAMS: readonly StreamName[] = ['stdin', 'stdout', 'stderr'];
const EMPTY = Buffer.alloc(0);

function headerIsValid(buffer: Buffer, offset: number): boolean {
  const type = buffer[offset]!;
  return type <= 2 && buffer[offset + 1] === 0 && buffer[offset + 2] === 0 && buffer[offset + 3] === 0;
}

export class FrameDemuxer {
  private pending: Buffer = EMPTY;
  private passthrough = false;

  /** Feeds one chunk; returns the frames it completed (payloads may be views into the chunk). */
  push(chunk: Buffer): LogFrame[] {
    if (chunk.length === 0) return [];
    if (this.passthrough) return [{ stream: 'stdout', payload: chunk }];
    const buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: LogFrame[] = [];
    let offset = 0;
    while (buffer.length - offset >= HEADER_LENGTH) {
      if (!headerIsValid(buffer, offset)) {
        this.passthrough = true;
        frames.push({ stream: 'stdout', payload: buffer.subarray(offset) });
        offset = buffer.length;
        break;
      }
      const length = buffer.readUInt32BE(offset + 4);
      const end = offset + HEADER_LENGTH + length;
      if (end > buffer.length) break;
      if (length > 0) frames.push({ stream: STREAMS[buffer[offset]!]!, payload: buffer.subarray(offset + HEADER_LENGTH, end) });
      offset = end;
    }
    this.pending = offset === buffer.length ? EMPTY : Buffer.from(buffer.subarray(offset));
    return frames;
  }

  /**
   * The stream ended: returns what is left of a cut-off frame (its payload so far), so the last
   * bytes of a log are not silently dropped. A lone partial header carries no text and is dropped.
   */
  end(): LogFrame[] {
    const rest = this.pending;
    this.pending = EMPTY;
    if (rest.length <= HEADER_LENGTH) return [];
    if (!headerIsValid(rest, 0)) return [{ stream: 'stdout', payload: rest }];
    return [{ stream: STREAMS[rest[0]!]!, payload: rest.subarray(HEADER_LENGTH) }];
  }
}

/** All frames of a complete multiplexed buffer (e.g. `container.logs({follow: false})`). */
export function demuxBuffer(buffer: Buffer): LogFrame[] {
  const demuxer = new FrameDemuxer();
  return [...demuxer.push(buffer), ...demuxer.end()];
}

/** Builds one frame (header + payload): the inverse of the demuxer, for tests and fakes. */
export function encodeFrame(stream: StreamName, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(STREAMS.indexOf(stream), 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
