import type { OpName } from '../protocol/ops.js';
import { execHandler } from './ops/exec-handler.js';
import { fileHandlers } from './ops/file-handlers.js';
import type { Handler } from './ops/handler-types.js';
import { serverHandlers } from './ops/server-handlers.js';
import { runsHandlers } from './ops/runs-handlers.js';
import { terminalHandlers } from './ops/terminal-handlers.js';
import { undoHandlers } from './ops/undo-handlers.js';
import type { AgentServices } from './services.js';

export type ApprovalOpName = 'approvals.list' | 'approvals.decide' | 'approvals.watch';
/** Ops answered from the agent's own state and options (start-agent adds them). */
export type AgentOwnOpName = ApprovalOpName | 'agent.info' | 'audit.recent';

/** Every op the agent offers but the approvals' (start-agent adds those, with its store), unguarded: guardHandlers adds the policy and the audit log. */
export function agentHandlers(services: AgentServices): Record<Exclude<OpName, AgentOwnOpName>, Handler> {
  return {
    host: () => services.hostFacts(),
    ...fileHandlers(services.files),
    ...execHandler(services),
    ...serverHandlers(services),
    ...terminalHandlers(services),
    ...runsHandlers(services),
    ...undoHandlers(services.undo, services.files),
  } as unknown as Record<Exclude<OpName, AgentOwnOpName>, Handler>;
}
