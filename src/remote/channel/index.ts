export { acceptChannel, type AcceptChannelOptions, type KnownDevice } from './accept.js';
export { openChannel, type OpenChannelOptions } from './open.js';
export { createAgentIdentity, agentIdOf, createDeviceKeys, devicePublicKeyOf, type AgentIdentity, type NewDevice } from './identity.js';
export type { ChannelSession, ChannelMessage, ChannelCloseInfo, ChannelDevice } from './session.js';
export { webSocketTransport, type FrameTransport, type WebSocketLike, type Frame } from './transport.js';
export { CLOSE } from './close-codes.js';
