/** WebSocket close codes the relay uses (docs/remote-protocol.md "Relay"); 4000–4999 are ours. */
export const RELAY_CLOSE = {
  /** An agent that did not prove the key behind its id. */
  agentRefused: 4401,
  /** A client for an agent that is not connected (or went away). */
  agentOffline: 4404,
  /** Nothing arrived for the idle timeout. */
  idle: 4408,
  /** An agent connection replaced by a newer one proving the same key. */
  replaced: 4409,
  /** Too many frames per second on one connection. */
  rateLimited: 4429,
  /** The relay stops, or has no room for another agent. */
  unavailable: 4503,
  /** A frame that breaks the relay's framing. */
  protocolError: 1002,
} as const;
