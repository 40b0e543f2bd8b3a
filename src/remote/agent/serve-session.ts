import type { ChannelSession } from '../channel/session.js';
import type { OpName } from '../protocol/ops.js';
import { serveRpc, type OpHandlers } from '../rpc/index.js';
import type { RejectedRequest } from '../rpc/serve.js';
import type { ResumableStreams } from '../rpc/resume/resumable-streams.js';
import type { Handler } from './ops/handler-types.js';

/** The RPC layer serving the agent's guarded handlers on one session; `withHost` answers come from the cache. */
export function rpcServeSession(hostFacts: () => Promise<unknown>) {
  return (session: ChannelSession, handlers: Record<OpName, Handler>, onRejected: (rejection: RejectedRequest) => void, streams: ResumableStreams): void => {
    serveRpc(session, handlers as unknown as OpHandlers, { hostFacts, onRejected, streams });
  };
}
