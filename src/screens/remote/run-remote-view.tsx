import { render } from 'ink';
import type { AgentEventSink } from '../../remote/agent/agent-types.js';
import { alternateScreen } from '../terminal-screen.js';
import type { ApprovalsSource } from '../../remote/agent/control-approvals.js';
import type { DevicesSource } from './devices-source.js';
import { RemoteAgentView } from './RemoteAgentView.js';
import { foldAgentEvent, type RemoteViewState } from './remote-view-state.js';

export interface RemoteView {
  sink: AgentEventSink;
  onQuit(listener: () => void): void;
  close(): void;
}

/**
 * The full-screen view of a running agent; renders are batched (a busy agent sends many events).
 * `approvals`: where its pending approvals are read and decided (the agent's own control socket);
 * `devices`: where devices are added and revoked from this screen (the same socket).
 */
export async function startRemoteView(approvals?: ApprovalsSource, devices?: DevicesSource): Promise<RemoteView> {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const screen = alternateScreen(process.stdout);
  screen.enter();
  process.once('exit', () => screen.restore());
  let state: RemoteViewState = { feed: [], notices: [] };
  let quit: (() => void) | undefined;
  const element = () => <RemoteAgentView state={state} rows={process.stdout.rows || 24} onQuit={() => quit?.()} {...(approvals ? { approvals } : {})} {...(devices ? { devices } : {})} />;
  const instance = render(element(), { exitOnCtrlC: false, patchConsole: false });
  let scheduled: NodeJS.Timeout | undefined;
  return {
    sink(event) {
      state = foldAgentEvent(state, event);
      scheduled ??= setTimeout(() => {
        scheduled = undefined;
        instance.rerender(element());
      }, 50);
    },
    onQuit(listener) {
      quit = listener;
    },
    close() {
      if (scheduled) clearTimeout(scheduled);
      instance.rerender(element());
      instance.unmount();
      screen.restore();
    },
  };
}
