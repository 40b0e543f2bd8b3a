import { OpenmatesError, isOpenmatesError } from '../../core/errors.js';
import { helloSchema, type DeviceRole } from '../protocol/handshake-messages.js';
import { LIMITS } from '../protocol/limits.js';
import { PROTOCOL_NAME, SUPPORTED_VERSIONS } from '../protocol/version.js';
import { fromBase64Url, loadSodium, toBase64Url } from '../sodium.js';
import { CLOSE } from './close-codes.js';
import { FrameInbox } from './frame-inbox.js';
import { authMessage, deriveSessionKeys, diffieHellman, transcriptHash } from './handshake-crypto.js';
import { openControl, plainJson, sendPlain, sendSealedControl, withHandshakeDeadline } from './handshake-steps.js';
import type { AgentIdentity } from './identity.js';
import { protocolError } from './protocol-error.js';
import { OpeningStream, SealingStream } from './sealed-stream.js';
import { SealedSession, type ChannelSession } from './session.js';
import { isFrameTransport, webSocketTransport, type FrameTransport, type WebSocketLike } from './transport.js';

/** What the agent knows about a device: never its secret, only its public key. */
export interface KnownDevice {
  /** base64url Ed25519 public key. */
  publicKey: string;
  name: string;
  role: DeviceRole;
  revoked?: boolean;
  rawSecrets?: boolean;
}

export interface AcceptChannelOptions {
  identity: AgentIdentity;
  lookupDevice(deviceId: string): KnownDevice | undefined | Promise<KnownDevice | undefined>;
  signal?: AbortSignal;
  handshakeTimeoutMs?: number;
}

const LINK_HINT = 'add the device again with `openmates remote-access devices add NAME` and use its new link';

/**
 * The agent's side of the handshake (docs/remote-protocol.md). Resolves to a session once the
 * device has proved its key; rejects (after telling the client why and closing the socket) on
 * anything else. A rejection ends only this connection.
 */
export async function acceptChannel(socket: WebSocketLike | FrameTransport, options: AcceptChannelOptions): Promise<ChannelSession> {
  const sodium = await loadSodium();
  const transport = isFrameTransport(socket) ? socket : webSocketTransport(socket);
  const inbox = new FrameInbox(transport, 'client');
  let answered = false;
  const refuse = (error: OpenmatesError, code: number): never => {
    answered = true;
    sendPlain(transport, { type: 'refused', code: error.kind, message: error.message, hint: error.hint });
    transport.close(code, error.kind);
    throw error;
  };
  try {
    return await withHandshakeDeadline(inbox, options.signal, options.handshakeTimeoutMs ?? LIMITS.handshakeTimeoutMs, 'client', async () => {
      const parsed = helloSchema.safeParse(plainJson(await inbox.next()));
      if (!parsed.success) return refuse(protocolError('the first frame is not a valid hello'), CLOSE.protocolError);
      const hello = parsed.data;
      const version = [...hello.versions].sort((a, b) => b - a).find((offered) => SUPPORTED_VERSIONS.includes(offered));
      if (hello.protocol !== PROTOCOL_NAME || version === undefined) {
        return refuse(
          new OpenmatesError(
            'usage',
            `This agent speaks ${PROTOCOL_NAME} version ${SUPPORTED_VERSIONS.join(', ')}; the client offered ${hello.protocol} version ${hello.versions.join(', ')}.`,
            'update openmates on the side that is older (the client and the agent must share a protocol version)',
          ),
          CLOSE.versionUnsupported,
        );
      }
      const deviceId = fromBase64Url(sodium, hello.deviceId, 16);
      const clientEphemeral = fromBase64Url(sodium, hello.clientEphemeral, 32);
      if (!deviceId || !clientEphemeral) return refuse(protocolError('the hello carries a malformed key or device id'), CLOSE.protocolError);

      const ephemeral = sodium.crypto_kx_keypair();
      const es = diffieHellman(sodium, options.identity.secretKey, clientEphemeral);
      const ee = diffieHellman(sodium, ephemeral.privateKey, clientEphemeral);
      if (!es || !ee) return refuse(protocolError('the client ephemeral key is not a usable X25519 key'), CLOSE.protocolError);
      const hash = transcriptHash(sodium, { version, agentStatic: options.identity.publicKey, deviceId, clientEphemeral, agentEphemeral: ephemeral.publicKey });
      const keys = deriveSessionKeys(sodium, hash, es, ee);
      sodium.memzero(es);
      sodium.memzero(ee);
      sodium.memzero(ephemeral.privateKey);
      sendPlain(transport, { type: 'welcome', version, agentEphemeral: toBase64Url(sodium, ephemeral.publicKey) });

      const opening = new OpeningStream(sodium, keys.clientToAgent);
      const sealing = new SealingStream(sodium, keys.agentToClient);
      const auth = openControl(opening, await inbox.next());
      if (!auth || auth.type !== 'auth') {
        return refuse(new OpenmatesError('device-refused', 'The handshake failed: the client did not prove its keys for this agent (a link for another server?).', LINK_HINT), CLOSE.deviceRefused);
      }
      const refuseSealed = (message: string): never => {
        const error = new OpenmatesError('device-refused', message, LINK_HINT);
        answered = true;
        sendSealedControl(transport, sealing, { type: 'refused', code: error.kind, message: error.message, hint: error.hint }, true);
        transport.close(CLOSE.deviceRefused, error.kind);
        throw error;
      };
      const known = await options.lookupDevice(hello.deviceId);
      if (!known) return refuseSealed('This device is not known to the agent (removed, or a link for another server).');
      if (known.revoked) return refuseSealed(`The device "${known.name}" was revoked.`);
      const publicKey = fromBase64Url(sodium, known.publicKey, 32);
      const signature = fromBase64Url(sodium, auth.signature, 64);
      if (!publicKey || !signature || !sodium.crypto_sign_verify_detached(signature, authMessage(hash), publicKey)) {
        return refuseSealed(`The device key does not match the device "${known.name}".`);
      }
      const device = { id: hello.deviceId, name: known.name, role: known.role };
      sendSealedControl(transport, sealing, { type: 'ready', device });
      return new SealedSession(transport, sealing, opening, known.rawSecrets ? { ...device, rawSecrets: true } : device, inbox.drain());
    });
  } catch (caught) {
    const error = isOpenmatesError(caught) ? caught : protocolError(String(caught));
    // Every failed handshake gets one answer saying why (plain: nothing is trusted yet).
    if (!answered) sendPlain(transport, { type: 'refused', code: error.kind, message: error.message, hint: error.hint });
    transport.close(CLOSE.protocolError, 'handshake failed');
    throw error;
  }
}
