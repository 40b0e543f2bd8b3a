export { serveRpc, type OpContext, type OpHandler, type OpHandlers, type RpcServer, type ServeRpcOptions } from './serve.js';
export { RpcClient, type CallOptions, type RpcClientOptions } from './client.js';
export { RemoteError } from './remote-error.js';
