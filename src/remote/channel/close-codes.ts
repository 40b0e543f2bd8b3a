/** WebSocket close codes the channel uses (4000–4999 are ours to define). */
export const CLOSE = {
  normal: 1000,
  protocolError: 1002,
  tooBig: 1009,
  deviceRefused: 4001,
  versionUnsupported: 4002,
  handshakeTimeout: 4003,
  heartbeatLost: 4004,
} as const;
