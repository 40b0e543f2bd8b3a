import { OpenmatesError, isOpenmatesError } from '../../core/errors.js';
import { welcomeSchema } from '../protocol/handshake-messages.js';
import { LIMITS } from '../protocol/limits.js';
import { PROTOCOL_NAME, SUPPORTED_VERSIONS } from '../protocol/version.js';
import { fromBase64Url, loadSodium, toBase64Url } from '../sodium.js';
import { CLOSE } from './close-codes.js';
import { connectWebSocket } from './connect-websocket.js';
import { FrameInbox } from './frame-inbox.js';
import { deviceIdOf } from './identity.js';
import { authMessage, deriveSessionKeys, diffieHellman, transcriptHash } from './handshake-crypto.js';
import { openControl, parsePlainRefusal, plainJson, sendPlain, sendSealedControl, withHandshakeDeadline } from './handshake-steps.js';
import { protocolError } from './protocol-error.js';
import { OpeningStream, SealingStream } from './sealed-stream.js';
import { SealedSession, type ChannelSession } from './session.js';
import { isFrameTransport, webSocketTransport, type FrameTransport, type WebSocketLike } from './transport.js';

export interface OpenChannelOptions {
  agentId: string;
  /** Absent for a short link's device: derived from the seed's public key. */
  deviceId?: string;
  deviceSeed: string;
  signal?: AbortSignal;
  handshakeTimeoutMs?: number;
  /** An already open socket (a relay connection, a test); by default `url` is dialled. */
  socket?: WebSocketLike | FrameTransport;
}

const IMPOSTOR = new OpenmatesError(
  'device-refused',
  'The server did not prove it holds the agent key in the link: the link is for another server, or something in the middle answered.',
  'check the address; if it is right, add the device again on the server and use the new link',
);

/** The client's side of the handshake: resolves once the agent has proved its key and accepted the device. */
export async function openChannel(url: string, options: OpenChannelOptions): Promise<ChannelSession> {
  const sodium = await loadSodium();
  const agentStatic = fromBase64Url(sodium, options.agentId, 32);
  const seed = fromBase64Url(sodium, options.deviceSeed, 32);
  const deviceIdText = options.deviceId ?? (seed && deviceIdOf(sodium, sodium.crypto_sign_seed_keypair(seed).publicKey));
  const deviceId = deviceIdText === undefined ? undefined : fromBase64Url(sodium, deviceIdText, 16);
  if (!agentStatic || !deviceIdText || !deviceId || !seed) {
    throw new OpenmatesError('usage', 'The device link carries a malformed agent id, device id or device key.', 'copy the whole link again, or add a new device');
  }
  const socket = options.socket ?? (await connectWebSocket(url, options.signal));
  const transport = isFrameTransport(socket) ? socket : webSocketTransport(socket);
  const inbox = new FrameInbox(transport, 'agent');
  try {
    return await withHandshakeDeadline(inbox, options.signal, options.handshakeTimeoutMs ?? LIMITS.handshakeTimeoutMs, 'agent', async () => {
      const ephemeral = sodium.crypto_kx_keypair();
      sendPlain(transport, { type: 'hello', protocol: PROTOCOL_NAME, versions: SUPPORTED_VERSIONS, deviceId: deviceIdText, clientEphemeral: toBase64Url(sodium, ephemeral.publicKey) });
      const reply = plainJson(await inbox.next());
      const refusal = parsePlainRefusal(reply);
      if (refusal) throw new OpenmatesError(refusal.code, refusal.message, refusal.hint);
      const welcome = welcomeSchema.safeParse(reply);
      if (!welcome.success) throw protocolError('the agent did not answer the hello with a welcome');
      if (!SUPPORTED_VERSIONS.includes(welcome.data.version)) {
        throw new OpenmatesError('usage', `The agent chose ${PROTOCOL_NAME} version ${welcome.data.version}; this client speaks version ${SUPPORTED_VERSIONS.join(', ')}.`, 'update openmates on the side that is older');
      }
      const agentEphemeral = fromBase64Url(sodium, welcome.data.agentEphemeral, 32);
      const es = diffieHellman(sodium, ephemeral.privateKey, agentStatic);
      const ee = agentEphemeral && diffieHellman(sodium, ephemeral.privateKey, agentEphemeral);
      if (!agentEphemeral || !es || !ee) throw IMPOSTOR;
      const hash = transcriptHash(sodium, { version: welcome.data.version, agentStatic, deviceId, clientEphemeral: ephemeral.publicKey, agentEphemeral });
      const keys = deriveSessionKeys(sodium, hash, es, ee);
      sodium.memzero(es);
      sodium.memzero(ee);
      sodium.memzero(ephemeral.privateKey);
      const signingKey = sodium.crypto_sign_seed_keypair(seed).privateKey;
      const signature = sodium.crypto_sign_detached(authMessage(hash), signingKey);
      sodium.memzero(signingKey);

      const sealing = new SealingStream(sodium, keys.clientToAgent);
      const opening = new OpeningStream(sodium, keys.agentToClient);
      sendSealedControl(transport, sealing, { type: 'auth', signature: toBase64Url(sodium, signature) });
      const frame = await inbox.next();
      if (typeof frame === 'string') {
        // A plain refusal is unauthenticated: it can only end the attempt, never grant anything.
        const plain = parsePlainRefusal(plainJson(frame));
        throw plain ? new OpenmatesError(plain.code, plain.message, plain.hint) : protocolError('the agent answered the device proof with an unexpected frame');
      }
      const answer = openControl(opening, frame);
      if (!answer) throw IMPOSTOR;
      if (answer.type === 'refused') throw new OpenmatesError(answer.code, answer.message, answer.hint);
      if (answer.type !== 'ready' || answer.device.id !== deviceIdText) throw protocolError('the agent answered the device proof with an unexpected message');
      return new SealedSession(transport, sealing, opening, answer.device, inbox.drain());
    });
  } catch (error) {
    transport.close(CLOSE.normal, 'handshake ended');
    throw isOpenmatesError(error) ? error : protocolError(String(error));
  }
}
