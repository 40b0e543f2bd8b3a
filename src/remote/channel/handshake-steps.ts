import { OpenmatesError } from '../../core/errors.js';
import { controlSchema, refusedSchema, type Control, type Refused } from '../protocol/handshake-messages.js';
import { LIMITS } from '../protocol/limits.js';
import { protocolError } from './protocol-error.js';
import { PLAINTEXT_TAG, type OpeningStream, type SealingStream } from './sealed-stream.js';
import type { Frame, FrameTransport } from './transport.js';
import type { FrameInbox } from './frame-inbox.js';

/** What both sides of the handshake share: waits with a deadline, plain and sealed control frames. */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function plainJson(frame: Frame): unknown {
  if (typeof frame !== 'string') throw protocolError('a binary frame arrived where a handshake message was expected');
  if (frame.length > LIMITS.maxHandshakeFrameBytes) throw protocolError(`a handshake frame of ${frame.length} characters exceeds the limit of ${LIMITS.maxHandshakeFrameBytes}`);
  try {
    return JSON.parse(frame);
  } catch {
    throw protocolError('a handshake frame is not JSON');
  }
}

export function parsePlainRefusal(value: unknown): Refused | undefined {
  const refused = refusedSchema.safeParse(value);
  return refused.success ? refused.data : undefined;
}

export function sendPlain(transport: FrameTransport, message: object): void {
  transport.send(JSON.stringify(message));
}

export function sendSealedControl(transport: FrameTransport, sealing: SealingStream, control: Control, final = false): void {
  transport.send(sealing.seal(PLAINTEXT_TAG.control, encoder.encode(JSON.stringify(control)), final));
}

/** The next sealed control message; undefined when the frame does not open with this key. */
export function openControl(opening: OpeningStream, frame: Frame): Control | undefined {
  if (typeof frame === 'string' || frame.byteLength > LIMITS.maxHandshakeFrameBytes) return undefined;
  const opened = opening.open(frame);
  if (!opened || opened.tag !== PLAINTEXT_TAG.control) return undefined;
  try {
    return controlSchema.parse(JSON.parse(decoder.decode(opened.payload)));
  } catch {
    return undefined;
  }
}

/** Runs a handshake under a deadline and an abort signal; either one ends the wait for the next frame. */
export async function withHandshakeDeadline<T>(inbox: FrameInbox, signal: AbortSignal | undefined, timeoutMs: number, peer: string, run: () => Promise<T>): Promise<T> {
  const timer = setTimeout(
    () => inbox.fail(new OpenmatesError('operation-failed', `The ${peer} did not finish the handshake within ${Math.round(timeoutMs / 1000)} s.`, 'check the address and the network, then try again')),
    timeoutMs,
  );
  const onAbort = () => inbox.fail(new OpenmatesError('interrupted', 'The connection was cancelled during the handshake.'));
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await run();
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
