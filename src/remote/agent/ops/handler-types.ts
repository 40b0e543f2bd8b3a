import type { DeviceRole } from '../../protocol/handshake-messages.js';

/** What a handler gets for one request (the RPC server's context, see docs/remote-protocol.md). */
export interface HandlerContext {
  device: { id: string; name: string; role: DeviceRole };
  signal: AbortSignal;
  emit(event: unknown): void;
  /** Resolves when the credit window allows more. */
  sendChunk(bytes: Uint8Array): Promise<void>;
  receiveChunks(): AsyncIterable<Uint8Array>;
}

export type Handler = (args: never, context: HandlerContext) => Promise<unknown>;
