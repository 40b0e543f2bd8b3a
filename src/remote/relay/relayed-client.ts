import type { WebSocket } from 'ws';
import { CreditBatcher } from './credit-batcher.js';
import { FrameRate } from './frame-rate.js';
import { MUX_WINDOW_BYTES, type MuxFrame } from './mux-frames.js';
import { RELAY_CLOSE } from './relay-close-codes.js';

/** A code a close frame may carry (RFC 6455 §7.4: not 1004–1006 or 1015, which are never sent); else 1000. */
export function sendableCloseCode(code: number): number {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999) ? code : 1000;
}

/**
 * One client's WebSocket on the relay, bridged to its agent's socket. Messages are forwarded as
 * they are. Flow control both ways: the relay stops reading the client (pauses its socket) while
 * the agent has MUX_WINDOW_BYTES of it unconsumed; it credits the agent only for bytes the client's
 * socket has written out, so a slow reader holds the agent back instead of filling the relay.
 */
export class RelayedClient {
  private unconsumedByAgent = 0;
  private unwrittenToClient = 0;
  private readonly credits: CreditBatcher;
  private closed = false;
  private readonly rate: FrameRate;

  constructor(
    readonly id: number,
    private readonly socket: WebSocket,
    private readonly toAgent: (frame: MuxFrame) => void,
    framesPerSecond: number,
    private readonly onGone: () => void,
  ) {
    this.rate = new FrameRate(framesPerSecond);
    this.credits = new CreditBatcher((bytes) => {
      if (!this.closed) this.toAgent({ type: 'credit', client: this.id, bytes });
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => this.fromClient(data, isBinary));
    // Pings cost the relay a pong each: they count against the same rate.
    socket.on('ping', () => {
      if (!this.closed && !this.rate.take()) this.close(RELAY_CLOSE.rateLimited, 'too many frames per second');
    });
    socket.on('close', (code: number, reason: Buffer) => this.gone(code, reason.toString()));
    socket.on('error', () => {});
  }

  private fromClient(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.rate.take()) return this.close(RELAY_CLOSE.rateLimited, 'too many frames per second');
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.unconsumedByAgent += bytes.length;
    this.toAgent({ type: isBinary ? 'binary' : 'text', client: this.id, bytes });
    if (this.unconsumedByAgent > MUX_WINDOW_BYTES && !this.socket.isPaused) this.socket.pause();
  }

  /** The agent consumed `bytes` more of this client's messages; 0: the agent waits for our credit. */
  credited(bytes: number): void {
    if (bytes === 0) return this.credits.senderWaits();
    this.unconsumedByAgent = Math.max(0, this.unconsumedByAgent - bytes);
    if (this.socket.isPaused && this.unconsumedByAgent <= MUX_WINDOW_BYTES) this.socket.resume();
  }

  /** One message from the agent for this client. */
  fromAgent(bytes: Uint8Array, binary: boolean): void {
    if (this.closed) return;
    this.unwrittenToClient += bytes.length;
    if (this.unwrittenToClient > MUX_WINDOW_BYTES) {
      this.close(RELAY_CLOSE.protocolError, 'the agent overran the flow-control window');
      return;
    }
    this.socket.send(bytes, { binary }, () => {
      this.unwrittenToClient -= bytes.length;
      this.credits.add(bytes.length);
    });
  }

  /** The agent ended this client (or went away): close its socket without telling the agent back. */
  closeFromAgent(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.credits.stop();
    this.onGone();
    this.socket.close(sendableCloseCode(code), reason);
  }

  /** The relay ends this client (a limit): the agent is told. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.gone(code, reason);
    this.socket.close(code, reason);
  }

  private gone(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.credits.stop();
    this.onGone();
    this.toAgent({ type: 'close', client: this.id, code, reason });
  }
}
