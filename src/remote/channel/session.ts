import { OpenmatesError } from '../../core/errors.js';
import { controlSchema, type Control, type DeviceRole } from '../protocol/handshake-messages.js';
import { LIMITS } from '../protocol/limits.js';
import { CLOSE } from './close-codes.js';
import { protocolError } from './protocol-error.js';
import { PLAINTEXT_TAG, type OpeningStream, type PlaintextTag, type SealingStream } from './sealed-stream.js';
import type { Frame, FrameTransport } from './transport.js';

export interface ChannelDevice {
  id: string;
  name: string;
  role: DeviceRole;
  /** An approver added with `--raw-secrets`: sees secrets as they are (never sent to the client in `ready`). */
  rawSecrets?: boolean;
}

/** A message as the peer sealed it: a JSON value, bytes, or JSON that did not parse. */
export type ChannelMessage = { kind: 'json'; value: unknown } | { kind: 'binary'; bytes: Uint8Array } | { kind: 'invalid-json'; text: string };

export interface ChannelCloseInfo {
  reason: string;
  /** Set when the session did not end by a close() of either side: a protocol error, a cut stream, a refusal. */
  error?: OpenmatesError;
  byPeer: boolean;
}

/** An authenticated, sealed, ordered session: what acceptChannel and openChannel resolve to. */
export interface ChannelSession {
  readonly device: ChannelDevice;
  readonly deviceId: string;
  readonly role: DeviceRole;
  readonly closed: boolean;
  /** Bytes waiting in the socket's send buffer. */
  readonly bufferedAmount: number;
  /** A Uint8Array goes as bytes; anything else as JSON. Throws when the message exceeds the frame limit. */
  send(message: unknown): void;
  /** Messages that arrived before the first listener are delivered to it. */
  onMessage(listener: (message: ChannelMessage) => void): () => void;
  onClose(listener: (info: ChannelCloseInfo) => void): () => void;
  close(reason?: string): void;
  /** Ends the session with an error the peer receives as it is (e.g. 'device-refused' when the agent revokes the device). */
  refuse(error: OpenmatesError): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const SEAL_OVERHEAD = 64;

export class SealedSession implements ChannelSession {
  readonly deviceId: string;
  readonly role: DeviceRole;
  private readonly messageListeners = new Set<(message: ChannelMessage) => void>();
  private readonly closeListeners = new Set<(info: ChannelCloseInfo) => void>();
  private readonly early: ChannelMessage[] = [];
  private closeInfo: ChannelCloseInfo | undefined;

  constructor(
    private readonly transport: FrameTransport,
    private readonly sealing: SealingStream,
    private readonly opening: OpeningStream,
    readonly device: ChannelDevice,
    pending: Frame[],
  ) {
    this.deviceId = device.id;
    this.role = device.role;
    transport.listen({ frame: (frame) => this.receive(frame), close: (code, reason) => this.transportClosed(code, reason) });
    for (const frame of pending) this.receive(frame);
  }

  get closed(): boolean {
    return this.closeInfo !== undefined;
  }

  get bufferedAmount(): number {
    return this.transport.bufferedAmount;
  }

  send(message: unknown): void {
    if (this.closeInfo) throw this.closeInfo.error ?? new OpenmatesError('operation-failed', `The remote session is closed (${this.closeInfo.reason}).`, 'connect again');
    if (message instanceof Uint8Array) this.sendSealed(PLAINTEXT_TAG.binary, message);
    else this.sendSealed(PLAINTEXT_TAG.json, encoder.encode(JSON.stringify(message)));
  }

  onMessage(listener: (message: ChannelMessage) => void): () => void {
    this.messageListeners.add(listener);
    for (const message of this.early.splice(0)) listener(message);
    return () => this.messageListeners.delete(listener);
  }

  onClose(listener: (info: ChannelCloseInfo) => void): () => void {
    if (this.closeInfo) listener(this.closeInfo);
    else this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(reason = 'closed'): void {
    if (this.closeInfo) return;
    this.sendControl({ type: 'close', reason }, true);
    this.finish({ reason, byPeer: false }, CLOSE.normal);
  }

  refuse(error: OpenmatesError): void {
    if (this.closeInfo) return;
    try {
      this.sendControl({ type: 'refused', code: error.kind, message: error.message, hint: error.hint }, true);
    } catch {
      // the socket may be gone already
    }
    this.finish({ reason: error.message, byPeer: false, error }, error.kind === 'device-refused' ? CLOSE.deviceRefused : CLOSE.normal);
  }

  private sendSealed(tag: PlaintextTag, payload: Uint8Array, final = false): void {
    if (payload.byteLength + SEAL_OVERHEAD > LIMITS.maxFrameBytes) {
      throw new OpenmatesError('operation-failed', `A message of ${payload.byteLength} bytes exceeds the remote frame limit of ${LIMITS.maxFrameBytes} bytes.`, 'ask for less at a time (a smaller page, a bounded output)');
    }
    this.transport.send(this.sealing.seal(tag, payload, final));
  }

  private sendControl(control: Control, final = false): void {
    this.sendSealed(PLAINTEXT_TAG.control, encoder.encode(JSON.stringify(control)), final);
  }

  private receive(frame: Frame): void {
    if (this.closeInfo) return;
    if (typeof frame === 'string') return this.fail(protocolError('a text frame arrived after the handshake'), CLOSE.protocolError);
    if (frame.byteLength > LIMITS.maxFrameBytes) {
      return this.fail(protocolError(`a frame of ${frame.byteLength} bytes exceeds the limit of ${LIMITS.maxFrameBytes} bytes`), CLOSE.tooBig);
    }
    const opened = this.opening.open(frame);
    if (!opened) return this.fail(protocolError('a frame failed to decrypt (tampered, replayed, reordered or from another session)'), CLOSE.protocolError);
    if (opened.tag === PLAINTEXT_TAG.control) return this.receiveControl(opened.payload);
    if (opened.final) return this.fail(protocolError('the peer ended the stream without a close message'), CLOSE.protocolError);
    if (opened.tag === PLAINTEXT_TAG.binary) return this.deliver({ kind: 'binary', bytes: opened.payload });
    let text: string;
    try {
      text = decoder.decode(opened.payload);
    } catch {
      return this.deliver({ kind: 'invalid-json', text: '' });
    }
    try {
      this.deliver({ kind: 'json', value: JSON.parse(text) });
    } catch {
      this.deliver({ kind: 'invalid-json', text: text.slice(0, 200) });
    }
  }

  private receiveControl(payload: Uint8Array): void {
    let control: Control;
    try {
      control = controlSchema.parse(JSON.parse(decoder.decode(payload)));
    } catch {
      return this.fail(protocolError('a control message did not parse'), CLOSE.protocolError);
    }
    if (control.type === 'close') return this.finish({ reason: control.reason, byPeer: true }, CLOSE.normal);
    if (control.type === 'refused') {
      return this.finish({ reason: control.message, byPeer: true, error: new OpenmatesError(control.code, control.message, control.hint) }, CLOSE.normal);
    }
    this.fail(protocolError(`an unexpected ${control.type} message arrived after the handshake`), CLOSE.protocolError);
  }

  private deliver(message: ChannelMessage): void {
    if (this.messageListeners.size === 0) this.early.push(message);
    for (const listener of this.messageListeners) listener(message);
  }

  /** A protocol error: tell the peer (sealed, so only it can read why), then hang up. */
  private fail(error: OpenmatesError, code: number): void {
    if (this.closeInfo) return;
    try {
      this.sendControl({ type: 'refused', code: error.kind, message: error.message, hint: error.hint }, true);
    } catch {
      // the socket may be gone already
    }
    this.finish({ reason: error.message, byPeer: false, error }, code);
  }

  private transportClosed(code: number, reason: string): void {
    if (this.closeInfo) return;
    this.finish(
      {
        reason: `connection lost (code ${code}${reason ? `: ${reason}` : ''})`,
        byPeer: true,
        error: new OpenmatesError(
          'disconnected',
          `The remote connection ended without its closing frame (code ${code}): the stream was cut, or the other side died.`,
          'connect again; anything in flight may not have finished',
        ),
      },
      code,
    );
  }

  private finish(info: ChannelCloseInfo, code: number): void {
    this.closeInfo = info;
    this.transport.close(code, info.reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 120));
    for (const listener of this.closeListeners) listener(info);
    this.closeListeners.clear();
    this.messageListeners.clear();
  }
}
