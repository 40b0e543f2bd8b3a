import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import type { ApprovalsSource } from '../remote/agent/control-approvals.js';
import { ApprovalDeskView } from './remote/ApprovalDeskView.js';
import { useApprovalDesk } from './remote/use-approval-desk.js';
import type { ApprovalsPolling } from './remote/use-approvals.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Rows the frame takes: header (2), footer (2), body padding (1), spare row (1). */
const FRAME_ROWS = 6;

/**
 * Remote access: the requests the remote-access agent holds for a person's yes, each shown in full
 * (what changes, the diff, downtime, undo), decided with y / n / s; the recently decided ones.
 */
export function RemoteAccess({ source, onBack, polling }: { source: ApprovalsSource; onBack: () => void; polling?: ApprovalsPolling }) {
  const { rows } = useTerminalSize();
  const desk = useApprovalDesk(source, { self: 'app', onEscape: onBack, ...(polling ? { polling } : {}), page: Math.max(3, rows - 20) });
  const hints: KeyHint[] = [...desk.hints, ...(desk.mode.name === 'browse' ? [{ keys: 'esc', action: 'back' }] : [])];
  return (
    <ScreenFrame section="Remote access" hints={hints}>
      <ApprovalDeskView desk={desk} rows={Math.max(8, rows - FRAME_ROWS)} />
    </ScreenFrame>
  );
}
