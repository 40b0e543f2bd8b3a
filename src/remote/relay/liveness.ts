import type { WebSocket } from 'ws';
import { RELAY_CLOSE } from './relay-close-codes.js';

/** Closes sockets that sent nothing (no message, ping or pong) for the idle timeout. */
export class Liveness {
  private readonly lastHeard = new Map<WebSocket, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly idleTimeoutMs: number) {
    this.timer = setInterval(() => this.sweep(), Math.max(50, Math.min(5000, idleTimeoutMs / 4)));
    this.timer.unref();
  }

  track(socket: WebSocket): void {
    const heard = () => this.lastHeard.set(socket, Date.now());
    heard();
    socket.on('message', heard);
    socket.on('ping', heard);
    socket.on('pong', heard);
    socket.on('close', () => this.lastHeard.delete(socket));
  }

  private sweep(): void {
    const now = Date.now();
    for (const [socket, heard] of this.lastHeard) {
      if (now - heard > this.idleTimeoutMs) {
        this.lastHeard.delete(socket);
        socket.close(RELAY_CLOSE.idle, 'idle timeout');
        // A peer that does not answer the close either is let go of shortly after.
        setTimeout(() => socket.terminate(), 2000).unref();
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
