import { OpenmatesError } from '../../core/errors.js';
import type { Frame, FrameTransport } from './transport.js';

/** The handshake reads frames one at a time; what arrives after it is handed on in order. */
export class FrameInbox {
  private readonly queue: Frame[] = [];
  private waiter: { resolve(frame: Frame): void; reject(error: Error): void } | undefined;
  private ended: OpenmatesError | undefined;

  constructor(transport: FrameTransport, private readonly peer: string) {
    transport.listen({
      frame: (frame) => {
        if (this.waiter) {
          const { resolve } = this.waiter;
          this.waiter = undefined;
          resolve(frame);
        } else this.queue.push(frame);
      },
      close: (code, reason) => {
        this.ended = new OpenmatesError(
          'operation-failed',
          `The ${this.peer} closed the connection during the handshake (code ${code}${reason ? `: ${reason}` : ''}).`,
          'check that the address is an openmates remote-access agent and try again',
        );
        this.waiter?.reject(this.ended);
        this.waiter = undefined;
      },
    });
  }

  next(): Promise<Frame> {
    const frame = this.queue.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Frames that arrived after the last next(), for the session to process first. */
  drain(): Frame[] {
    return this.queue.splice(0);
  }

  /** A cause for the handshake to stop waiting (a timeout, an abort). */
  fail(error: OpenmatesError): void {
    this.ended ??= error;
    this.waiter?.reject(error);
    this.waiter = undefined;
  }
}
