import { useRef } from 'react';
import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import type { ApprovalsSource } from '../remote/agent/control-approvals.js';
import { ApprovalDeskView } from './remote/ApprovalDeskView.js';
import type { DevicesSource } from './remote/devices-source.js';
import { DevicesPanel, devicesPanelRows } from './remote/DevicesPanel.js';
import { PairingView } from './remote/PairingView.js';
import { useApprovalDesk } from './remote/use-approval-desk.js';
import type { ApprovalsPolling } from './remote/use-approvals.js';
import { useDeviceAdmin } from './remote/use-device-admin.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Rows the frame takes: header (2), footer (2), body padding (1), spare row (1). */
const FRAME_ROWS = 6;

/**
 * Remote access: the devices (a adds one and shows its QR code and link once, r revokes one), and
 * the requests the remote-access agent holds for a person's yes, each shown in full (what changes,
 * the diff, downtime, undo), decided with y / n / s; the recently decided ones.
 */
export function RemoteAccess({ source, devices, onBack, polling }: { source: ApprovalsSource; devices?: DevicesSource; onBack: () => void; polling?: ApprovalsPolling }) {
  const { columns, rows } = useTerminalSize();
  // Whichever of the two is in the middle of something has the keys; in between, both listen
  // (different keys). The desk's mode is the last render's: a reason being typed keeps a and r letters.
  const deskTyping = useRef(false);
  const admin = useDeviceAdmin(devices, { isActive: !deskTyping.current, ...(polling ? { listEveryMs: polling.everyMs } : {}) });
  const adminIdle = admin.mode.name === 'browse';
  const panelRows = devices ? devicesPanelRows(admin) : 0;
  const desk = useApprovalDesk(source, { self: 'app', onEscape: onBack, isActive: adminIdle, ...(polling ? { polling } : {}), page: Math.max(3, rows - 20 - panelRows) });
  deskTyping.current = desk.mode.name !== 'browse';
  if (admin.mode.name === 'link') return <PairingView device={admin.mode.device} link={admin.mode.link} columns={columns} rows={rows} />;
  const hints: KeyHint[] = adminIdle ? [...desk.hints, ...(desk.mode.name === 'browse' && devices ? admin.hints : []), ...(desk.mode.name === 'browse' ? [{ keys: 'esc', action: 'back' }] : [])] : admin.hints;
  return (
    <ScreenFrame section="Remote access" hints={hints}>
      {devices ? <DevicesPanel admin={admin} /> : null}
      <ApprovalDeskView desk={desk} rows={Math.max(8, rows - FRAME_ROWS - panelRows)} />
    </ScreenFrame>
  );
}
