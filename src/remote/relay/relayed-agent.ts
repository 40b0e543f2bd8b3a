import type { WebSocket } from 'ws';
import { FrameRate } from './frame-rate.js';
import { decodeMux, encodeMux, type MuxFrame } from './mux-frames.js';
import { RELAY_CLOSE } from './relay-close-codes.js';
import { RelayedClient } from './relayed-client.js';

/**
 * An agent that proved its key: its one socket carries every client of it, multiplexed. Its
 * frames per second are limited like a client's, times one more than its clients (each client's
 * traffic and credits, and the agent's own), so a busy agent is never cut but a flooding one is.
 */
export class RelayedAgent {
  private readonly clients = new Map<number, RelayedClient>();
  private nextClient = 1;
  private ended = false;
  private readonly rate: FrameRate;

  constructor(
    readonly agentId: string,
    private readonly socket: WebSocket,
    private readonly framesPerSecond: number,
    private readonly onGone: (reason: string) => void,
  ) {
    this.rate = new FrameRate(() => framesPerSecond * (this.clients.size + 1));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.ended) return;
      if (!this.rate.take()) return this.close(RELAY_CLOSE.rateLimited, 'too many frames per second');
      const frame = isBinary ? decodeMux(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) : undefined;
      if (!frame) return this.close(RELAY_CLOSE.protocolError, 'a frame that is not a relay frame');
      this.fromAgent(frame);
    });
    socket.on('ping', () => {
      if (!this.ended && !this.rate.take()) this.close(RELAY_CLOSE.rateLimited, 'too many frames per second');
    });
    socket.on('close', (code: number, reason: Buffer) => this.end(`closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** A client for this agent connected: it gets the next client id and the agent an `open`. */
  attach(client: WebSocket): void {
    const id = this.nextClient;
    this.nextClient = this.nextClient >= 0xffffffff ? 1 : this.nextClient + 1;
    const relayed = new RelayedClient(id, client, (frame) => this.send(frame), this.framesPerSecond, () => this.clients.delete(id));
    this.clients.set(id, relayed);
    this.send({ type: 'open', client: id });
  }

  private fromAgent(frame: MuxFrame): void {
    const client = this.clients.get(frame.client);
    if (!client) return; // it has gone already; its close is on the way to the agent
    switch (frame.type) {
      case 'text':
      case 'binary':
        return client.fromAgent(frame.bytes, frame.type === 'binary');
      case 'credit':
        return client.credited(frame.bytes);
      case 'close':
        return client.closeFromAgent(frame.code, frame.reason);
      case 'open':
        return this.close(RELAY_CLOSE.protocolError, 'only the relay opens clients');
    }
  }

  private send(frame: MuxFrame): void {
    if (!this.ended && this.socket.readyState === this.socket.OPEN) this.socket.send(encodeMux(frame));
  }

  close(code: number, reason: string): void {
    this.end(reason);
    this.socket.close(code, reason);
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const client of [...this.clients.values()]) client.closeFromAgent(RELAY_CLOSE.agentOffline, 'agent went offline');
    this.onGone(reason);
  }
}
