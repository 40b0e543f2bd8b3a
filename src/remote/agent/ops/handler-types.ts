import { OpenmatesError } from '../../../core/errors.js';
import type { Redactor } from '../../../core/secrets/index.js';
import type { DeviceRole } from '../../protocol/handshake-messages.js';

/** What a handler gets for one request (the RPC server's context, see docs/remote-protocol.md). */
export interface HandlerContext {
  device: { id: string; name: string; role: DeviceRole; rawSecrets?: boolean };
  signal: AbortSignal;
  emit(event: unknown): void;
  /** Resolves when the credit window allows more. */
  sendChunk(bytes: Uint8Array): Promise<void>;
  receiveChunks(): AsyncIterable<Uint8Array>;
  /** Set by the redaction layer for devices that must not see secrets: inherited variables a command runs without. */
  dropEnv?: (name: string) => boolean;
  /** Set by the redaction layer for the same devices: what terminal output goes through (terminal-redaction.ts). */
  terminalRedactor?: Redactor;
}

export type Handler = (args: never, context: HandlerContext) => Promise<unknown>;

/** approvals.* and audit.recent are for approver devices (docs/remote-protocol.md, "Devices"); an operator gets 'refused'. */
export function approverOnly(context: HandlerContext, doing: string): void {
  if (context.device.role !== 'approver') {
    throw new OpenmatesError('refused', `An operator device cannot ${doing} (${context.device.name} is an operator).`, 'Use an approver device (`openmates remote-access devices add NAME --role approver`).');
  }
}
