export * from './env.js';
export * from './docker.js';
export * from './testStack.js';
export * from './cli.js';
export * from './tmux.js';
export * from './release-registry.js';
export * from './compose-server.js';
export * from './engine-over-tcp.js';
