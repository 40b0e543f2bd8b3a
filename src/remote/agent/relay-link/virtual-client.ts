import type { Frame, FrameTransport } from '../../channel/transport.js';
import { CreditBatcher, EAGER_CREDIT_BYTES } from '../../relay/credit-batcher.js';
import { MUX_WINDOW_BYTES, type MuxFrame } from '../../relay/mux-frames.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A message's bytes as the channel may keep them: a view when they fill (nearly) all of the buffer
 * under them (a large message has one of its own, the mux header aside), else a copy, so a small
 * message does not hold a whole socket read in memory. Saves a copy of every 64 KiB chunk.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteLength * 2 >= bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

/**
 * One relayed client on the agent's side: a FrameTransport the channel's acceptChannel serves as
 * it serves a direct WebSocket. Sends beyond the relay's flow-control window wait here until the
 * relay credits them (bufferedAmount counts them), so the sealed channel's own backpressure sees
 * a slow client as it would on a direct socket. Bytes the relay has but not yet credited are not
 * counted: it may hold back up to EAGER_CREDIT_BYTES of credit for as long as nobody waits on it.
 */
export class VirtualClient implements FrameTransport {
  private handlers: Parameters<FrameTransport['listen']>[0] | undefined;
  private readonly early: Frame[] = [];
  private closedWith: { code: number; reason: string } | undefined;
  private unconsumed = 0;
  private readonly waiting: { bytes: Uint8Array; binary: boolean }[] = [];
  private waitingBytes = 0;
  private pendingClose: { code: number; reason: string } | undefined;
  private askedForCredit = false;
  private readonly credits: CreditBatcher;

  constructor(
    readonly id: number,
    private readonly toRelay: (frame: MuxFrame) => void,
  ) {
    this.credits = new CreditBatcher((bytes) => {
      if (!this.closedWith) toRelay({ type: 'credit', client: id, bytes });
    });
  }

  get bufferedAmount(): number {
    return this.waitingBytes;
  }

  send(frame: Frame): void {
    if (this.closedWith || this.pendingClose) return;
    const binary = typeof frame !== 'string';
    const bytes = typeof frame === 'string' ? encoder.encode(frame) : frame;
    if (this.waiting.length > 0 || !this.fits(bytes.length)) {
      this.waiting.push({ bytes, binary });
      this.waitingBytes += bytes.length;
      this.askForCredit();
      return;
    }
    this.forward(bytes, binary);
  }

  /** One message may exceed the window alone; otherwise the window holds. */
  private fits(length: number): boolean {
    return this.unconsumed === 0 || this.unconsumed + length <= MUX_WINDOW_BYTES;
  }

  private forward(bytes: Uint8Array, binary: boolean): void {
    this.unconsumed += bytes.length;
    this.toRelay({ type: binary ? 'binary' : 'text', client: this.id, bytes });
  }

  close(code = 1000, reason = ''): void {
    if (this.closedWith || this.pendingClose) return;
    // Like a WebSocket: what was sent before the close goes first.
    if (this.waiting.length > 0) this.pendingClose = { code, reason };
    else this.finish(code, reason, true);
  }

  listen(handlers: Parameters<FrameTransport['listen']>[0]): void {
    this.handlers = handlers;
    for (const frame of this.early.splice(0)) handlers.frame(frame);
    if (this.closedWith) handlers.close(this.closedWith.code, this.closedWith.reason);
  }

  /**
   * Waiting on less than the relay credits unasked (it may sit on that much until it hears we
   * wait): a credit frame of 0 bytes says so, once per credit received.
   */
  private askForCredit(): void {
    if (this.askedForCredit || this.unconsumed >= EAGER_CREDIT_BYTES) return;
    this.askedForCredit = true;
    this.toRelay({ type: 'credit', client: this.id, bytes: 0 });
  }

  /** The relay consumed `bytes` more (written them to the client's socket); 0: the relay waits for our credit. */
  credited(bytes: number): void {
    if (bytes === 0) return this.credits.senderWaits();
    this.askedForCredit = false;
    this.unconsumed = Math.max(0, this.unconsumed - bytes);
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes.length)) {
      const next = this.waiting.shift()!;
      this.waitingBytes -= next.bytes.length;
      this.forward(next.bytes, next.binary);
    }
    if (this.waiting.length > 0) this.askForCredit();
    else if (this.pendingClose) this.finish(this.pendingClose.code, this.pendingClose.reason, true);
  }

  /** One of the client's messages, from the relay. */
  delivered(bytes: Uint8Array, binary: boolean): void {
    if (this.closedWith) return;
    let frame: Frame;
    if (binary) frame = ownBytes(bytes);
    else {
      try {
        frame = decoder.decode(bytes);
      } catch {
        this.close(1007, 'a text message that is not UTF-8');
        return;
      }
    }
    if (this.handlers) this.handlers.frame(frame);
    else this.early.push(frame);
    this.credits.add(bytes.length);
  }

  /** The client's socket ended (it closed, the relay closed it, or the link to the relay dropped). */
  ended(code: number, reason: string): void {
    this.finish(code, reason, false);
  }

  private finish(code: number, reason: string, tellRelay: boolean): void {
    if (this.closedWith) return;
    this.closedWith = { code, reason };
    this.credits.stop();
    this.waiting.length = 0;
    this.waitingBytes = 0;
    if (tellRelay) this.toRelay({ type: 'close', client: this.id, code, reason });
    const handlers = this.handlers;
    if (handlers) setImmediate(() => handlers.close(code, reason));
  }
}
