export * from './version.js';
export * from './limits.js';
export * from './error-codes.js';
export * from './handshake-messages.js';
export * from './rpc-messages.js';
export * from './host-facts.js';
export * from './ops.js';
