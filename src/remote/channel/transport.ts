/**
 * One WebSocket connection as the channel sees it: text and binary frames in order, and a close.
 * The same adapter serves the `ws` package in Node and the browser's WebSocket, which share
 * the WHATWG event API.
 */
export type Frame = string | Uint8Array;

export interface FrameTransport {
  send(frame: Frame): void;
  close(code?: number, reason?: string): void;
  /** Bytes handed to send() that the socket has not written to the network yet. */
  readonly bufferedAmount: number;
  /** One listener pair; frames that arrive before it is set are kept in order. */
  listen(handlers: { frame(frame: Frame): void; close(code: number, reason: string): void }): void;
}

/** What both `ws`'s WebSocket and the browser's WebSocket provide. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

const CLOSED = 3;

export function isFrameTransport(value: WebSocketLike | FrameTransport): value is FrameTransport {
  return typeof (value as FrameTransport).listen === 'function';
}

export function webSocketTransport(socket: WebSocketLike): FrameTransport {
  socket.binaryType = 'arraybuffer';
  let handlers: Parameters<FrameTransport['listen']>[0] | undefined;
  const early: Frame[] = [];
  let closedWith: { code: number; reason: string } | undefined;
  socket.addEventListener('message', (event) => {
    const frame = toFrame(event.data);
    if (frame === undefined) return;
    if (handlers) handlers.frame(frame);
    else early.push(frame);
  });
  socket.addEventListener('close', (event) => {
    closedWith = { code: event.code, reason: event.reason };
    handlers?.close(event.code, event.reason);
  });
  return {
    send(frame) {
      if (socket.readyState === 1) socket.send(frame);
    },
    close(code, reason) {
      if (socket.readyState !== CLOSED) socket.close(code, reason);
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    listen(next) {
      handlers = next;
      for (const frame of early.splice(0)) next.frame(frame);
      if (closedWith) next.close(closedWith.code, closedWith.reason);
    },
  };
}

function toFrame(data: unknown): Frame | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}
