import { WebSocket } from 'ws';
import type { AgentIdentity } from '../../channel/identity.js';
import type { FrameTransport } from '../../channel/transport.js';
import { LIMITS } from '../../protocol/limits.js';
import { acceptedSchema, answerChallenge, challengeSchema } from '../../relay/agent-proof.js';
import { MUX_HEADER_BYTES, decodeMux, encodeMux, type MuxFrame } from '../../relay/mux-frames.js';
import { RELAY_CLOSE } from '../../relay/relay-close-codes.js';
import { loadSodium } from '../../sodium.js';
import { RELAY_BACKOFF, reconnectDelayMs, type BackoffPolicy } from './backoff.js';
import { startHeartbeat } from '../../rpc/heartbeat.js';
import { relayStateNow, type RelayLinkState } from './relay-link-state.js';
import { VirtualClient } from './virtual-client.js';

export interface RelayLinkOptions {
  /** The relay's URL as given to --relay (http(s)://; ws(s):// too). */
  url: string;
  identity: AgentIdentity;
  /** A client connected through the relay: serve it like a direct WebSocket. */
  onClient(transport: FrameTransport): void;
  onState(state: RelayLinkState): void;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  backoff?: BackoffPolicy;
}

export interface RelayLink {
  state(): RelayLinkState;
  stop(): Promise<void>;
}

/** `<relay>/v1/agent` as a WebSocket address. */
export function relayAgentUrl(relay: string): string {
  const url = new URL(relay);
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/agent`;
  return url.toString();
}

/**
 * Keeps one outbound WebSocket to the relay: proves the agent's key, demultiplexes clients into
 * VirtualClients, pings, and reconnects with capped exponential backoff and jitter when it drops.
 */
export function startRelayLink(options: RelayLinkOptions): RelayLink {
  let state: RelayLinkState = { url: options.url, state: 'connecting' };
  let attempt = 0;
  let stopped = false;
  let socket: WebSocket | undefined;
  let retry: NodeJS.Timeout | undefined;
  const setState = (next: RelayLinkState) => {
    state = next;
    options.onState(relayStateNow(next));
  };

  const connect = () => {
    if (stopped) return;
    const clients = new Map<number, VirtualClient>();
    let accepted = false;
    let refusal: string | undefined;
    let heartbeat: ReturnType<typeof startHeartbeat> | undefined;
    // An all-zero mask lets `ws` skip masking every byte it sends (in plain JS it halves the
    // transfer rate). RFC 6455 wants random masks against scripts in browsers that steer the bytes
    // a proxy sees; the agent is no browser and sends only its own handshake and sealed frames.
    const ws = new WebSocket(relayAgentUrl(options.url), { maxPayload: LIMITS.maxFrameBytes + 1024 + MUX_HEADER_BYTES, generateMask: (mask: Buffer) => void mask.fill(0) });
    socket = ws;
    const toRelay = (frame: MuxFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeMux(frame));
    };
    ws.on('error', () => {}); // a close follows, with the reason we report
    ws.on('pong', () => heartbeat?.heard());
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      heartbeat?.heard();
      if (!accepted) return void handshake(data, isBinary);
      const frame = isBinary ? decodeMux(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) : undefined;
      if (!frame) return ws.close(RELAY_CLOSE.protocolError, 'a frame that is not a relay frame');
      const client = clients.get(frame.client);
      switch (frame.type) {
        case 'open': {
          if (client) return;
          const opened = new VirtualClient(frame.client, toRelay);
          clients.set(frame.client, opened);
          options.onClient(opened);
          return;
        }
        case 'text':
        case 'binary':
          return client?.delivered(frame.bytes, frame.type === 'binary');
        case 'credit':
          return client?.credited(frame.bytes);
        case 'close':
          clients.delete(frame.client);
          return client?.ended(frame.code, frame.reason);
      }
    });
    const handshake = async (data: Buffer, isBinary: boolean) => {
      let message: unknown;
      try {
        message = isBinary ? undefined : JSON.parse(data.toString('utf8'));
      } catch {
        message = undefined;
      }
      const refused = (message as { type?: string; message?: unknown } | undefined)?.type === 'refused' ? String((message as { message?: unknown }).message) : undefined;
      if (refused !== undefined) return void (refusal = refused);
      const challenge = challengeSchema.safeParse(message);
      if (challenge.success) {
        const proof = answerChallenge(await loadSodium(), challenge.data, options.identity);
        if (!proof) return ws.close(RELAY_CLOSE.protocolError, 'a malformed challenge');
        return ws.send(JSON.stringify(proof));
      }
      const welcome = acceptedSchema.safeParse(message);
      if (!welcome.success) return ws.close(RELAY_CLOSE.protocolError, 'the relay did not answer with a challenge or an acceptance');
      accepted = true;
      attempt = 0;
      setState({ url: options.url, state: 'connected', publicUrl: welcome.data.publicUrl, since: new Date().toISOString() });
      heartbeat = startHeartbeat(() => ws.ping(), options, LIMITS.heartbeatTimeoutMs, () => ws.terminate());
    };
    ws.on('close', (code: number, reason: Buffer) => {
      heartbeat?.stop();
      if (socket === ws) socket = undefined;
      // Calls in flight on these clients fail now, with the reason: their sessions end.
      for (const client of clients.values()) client.ended(1006, 'the link to the relay dropped');
      clients.clear();
      if (stopped) return;
      const delay = reconnectDelayMs(attempt++, options.backoff ?? RELAY_BACKOFF);
      const retryAt = new Date(Date.now() + delay).toISOString();
      const why = refusal ?? (reason.length > 0 ? reason.toString() : code === 1006 ? 'the relay could not be reached' : `closed with ${code}`);
      setState({ url: options.url, state: code === RELAY_CLOSE.agentRefused || code === RELAY_CLOSE.unavailable ? 'refused' : 'reconnecting', reason: why, retryAt });
      retry = setTimeout(connect, delay);
    });
  };
  connect();

  return {
    state: () => relayStateNow(state),
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const open = socket;
      if (!open || open.readyState === open.CLOSED) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          open.terminate();
          resolve();
        }, 1000);
        open.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        open.close(1001, 'agent stopping');
      });
    },
  };
}
