import { LIMITS } from '../protocol/limits.js';

export interface RelayLimits {
  /** Agents connected at once; one more is closed with 4503. */
  maxAgents: number;
  /** Open WebSockets (agents and clients) from one address; one more is answered HTTP 429. */
  maxConnectionsPerIp: number;
  /** A client's messages per second (burst as large); more closes it with 4429. An agent's socket may send this times one more than its clients. */
  maxFramesPerSecond: number;
  /** A client's largest message; larger closes it with 1009 (the agent's own bound, plus room). */
  maxFrameBytes: number;
  /** A connection that sends nothing (not even a ping) for this long is closed with 4408. */
  idleTimeoutMs: number;
  /** An agent must finish its key proof within this time. */
  proofTimeoutMs: number;
}

export interface RelayOptions {
  listen: { host: string; port: number };
  /** How clients reach the relay (for links and the web page); default: the listen address. */
  publicUrl?: string;
  /** PEM files: the relay speaks https/wss itself (without them, plain http behind a TLS proxy). */
  tls?: { cert: string; key: string };
  limits?: Partial<RelayLimits>;
  /** Reverse proxies (their addresses) whose X-Forwarded-For names the client for the per-address limit. */
  trustProxy?: string[];
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxAgents: 1000,
  maxConnectionsPerIp: 256,
  maxFramesPerSecond: 2000,
  maxFrameBytes: LIMITS.maxFrameBytes + 1024,
  // Above the agent's own wait for a silent browser tab (LIMITS.agentHeartbeatTimeoutMs).
  idleTimeoutMs: 180_000,
  proofTimeoutMs: 10_000,
};
