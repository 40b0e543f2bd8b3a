import { WebSocket } from 'ws';
import { acceptChannel, type KnownDevice } from '../../../../src/remote/channel/accept.js';
import { agentIdOf, createAgentIdentity, createDeviceKeys, type AgentIdentity, type NewDevice } from '../../../../src/remote/channel/identity.js';
import type { ChannelSession } from '../../../../src/remote/channel/session.js';
import type { FrameTransport } from '../../../../src/remote/channel/transport.js';
import { startRelayLink, type RelayLink } from '../../../../src/remote/agent/relay-link/relay-link.js';
import type { RelayLinkState } from '../../../../src/remote/agent/relay-link/relay-link-state.js';
import { answerChallenge, challengeSchema } from '../../../../src/remote/relay/agent-proof.js';
import type { RelayEvent } from '../../../../src/remote/relay/relay-events.js';
import type { RelayLimits } from '../../../../src/remote/relay/relay-options.js';
import { startRelay, type RunningRelay } from '../../../../src/remote/relay/start-relay.js';
import { loadSodium } from '../../../../src/remote/sodium.js';

export async function relayOn(port = 0, limits: Partial<RelayLimits> = {}): Promise<RunningRelay & { events: RelayEvent[] }> {
  const events: RelayEvent[] = [];
  const relay = await startRelay({ listen: { host: '127.0.0.1', port }, limits }, (event) => events.push(event));
  return Object.assign(relay, { events });
}

/** A real agent side behind the relay: the link, and acceptChannel on every relayed client. */
export interface LinkedAgent {
  identity: AgentIdentity;
  agentId: string;
  link: RelayLink;
  states: RelayLinkState[];
  sessions: ChannelSession[];
  transports: FrameTransport[];
  addDevice(name: string): Promise<NewDevice>;
}

export async function linkedAgent(relayUrl: string, onSession: (session: ChannelSession) => void, identity?: AgentIdentity): Promise<LinkedAgent> {
  const id = identity ?? (await createAgentIdentity());
  const devices = new Map<string, KnownDevice>();
  const agent: LinkedAgent = {
    identity: id,
    agentId: await agentIdOf(id),
    states: [],
    sessions: [],
    transports: [],
    link: undefined as unknown as RelayLink,
    async addDevice(name) {
      const device = await createDeviceKeys();
      devices.set(device.id, { publicKey: device.publicKey, name, role: 'operator' });
      return device;
    },
  };
  agent.link = startRelayLink({
    url: relayUrl,
    identity: id,
    backoff: { baseMs: 50, capMs: 200 },
    onState: (state) => agent.states.push(state),
    onClient: (transport) => {
      agent.transports.push(transport);
      acceptChannel(transport, { identity: id, lookupDevice: (device) => devices.get(device) }).then((session) => {
        agent.sessions.push(session);
        onSession(session);
      }, () => {});
    },
  });
  return agent;
}

/** A hand-driven agent socket: proves `identity` (or claims `claimId` with it) and hands back the socket. */
export async function rawAgent(relayUrl: string, identity: AgentIdentity, claim?: Uint8Array): Promise<{ socket: WebSocket; answer: Promise<unknown> }> {
  const sodium = await loadSodium();
  const socket = new WebSocket(`${relayUrl.replace(/^http/, 'ws')}v1/agent`);
  socket.on('error', () => {});
  const answer = new Promise<unknown>((resolve) => {
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as unknown;
      const challenge = challengeSchema.safeParse(message);
      if (challenge.success) {
        const proof = answerChallenge(sodium, challenge.data, identity)!;
        if (claim) proof.agentId = sodium.to_base64(claim, sodium.base64_variants.URLSAFE_NO_PADDING);
        socket.send(JSON.stringify(proof));
      } else resolve(message);
    });
  });
  return { socket, answer };
}

export function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

export function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  socket.on('error', () => {});
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}
