import { Box, Text, useInput } from 'ink';
import { useRef } from 'react';
import { KeyHints } from '../components/KeyHints.js';
import { useTerminalSize } from '../use-terminal-size.js';
import type { ApprovalsSource } from '../../remote/agent/control-approvals.js';
import { ApprovalDeskView } from './ApprovalDeskView.js';
import type { DevicesSource } from './devices-source.js';
import { DevicesPanel, devicesPanelRows } from './DevicesPanel.js';
import { PairingView } from './PairingView.js';
import { useDeviceAdmin } from './use-device-admin.js';
import type { RemoteViewState } from './remote-view-state.js';
import { useApprovalDesk } from './use-approval-desk.js';
import type { ApprovalsPolling } from './use-approvals.js';
import { relayStateText } from '../../remote/agent/relay-link/relay-link-state.js';

/** Rows the approvals take at most when some wait; the feed keeps the rest (at least 3). */
const DESK_SHARE = 0.6;

/**
 * `remote-access start` on a terminal: what is shared, the mode, the devices, the requests waiting
 * for approval (decided here with the app's keys: y, n, s), and a live feed of requests.
 */
export function RemoteAgentView({ state, rows, onQuit, approvals, devices, polling }: { state: RemoteViewState; rows: number; onQuit: () => void; approvals?: ApprovalsSource; devices?: DevicesSource; polling?: ApprovalsPolling }) {
  const { columns } = useTerminalSize();
  // The desk's mode is the last render's: while a reason is typed, a and r are letters.
  const deskTyping = useRef(false);
  const admin = useDeviceAdmin(devices, { isActive: !deskTyping.current, ...(polling ? { listEveryMs: polling.everyMs } : {}) });
  const desk = useApprovalDesk(approvals, { self: 'app', isActive: admin.mode.name === 'browse', ...(polling ? { polling } : {}) });
  deskTyping.current = desk.mode.name !== 'browse';
  useInput((input, key) => {
    // While a reason or a device's name is typed, q is a letter.
    if ((input === 'q' && desk.mode.name !== 'reason' && admin.mode.name === 'browse') || (key.ctrl && input === 'c')) onQuit();
  });
  const status = state.status;
  if (!status) return <Text>Starting the remote-access agent…</Text>;
  if (admin.mode.name === 'link') return <PairingView device={admin.mode.device} link={admin.mode.link} columns={columns} rows={rows} />;
  const active = status.devices.filter((device) => !device.revoked);
  const fixedRows = 8 + (status.relay ? 1 : 0) + (devices ? devicesPanelRows(admin) : 2 + active.length) + state.notices.length;
  const deciding = desk.pending.length > 0 || desk.outcome !== undefined || desk.mode.name !== 'browse';
  const deskRows = deciding ? Math.max(8, Math.floor((rows - fixedRows) * DESK_SHARE)) : 0;
  const feedRows = Math.max(3, rows - fixedRows - (deskRows > 0 ? deskRows + 1 : 0));
  return (
    <Box flexDirection="column">
      <Text bold>
        Remote access: {status.name} <Text dimColor>on {status.url}</Text>
      </Text>
      {status.fullAccess ? (
        <Text color="red" bold>
          Shared: THE WHOLE MACHINE
        </Text>
      ) : (
        <Text>Shared: {(status.roots ?? []).join(', ')}</Text>
      )}
      <Text>
        Mode:{' '}
        {status.safetyMode ? (
          <Text color="yellow">safety mode on: changes wait for a person's approval</Text>
        ) : (
          <Text color="cyan">safety mode off: changes run at once</Text>
        )}
      </Text>
      {status.relay ? (
        <Text>
          Relay: <Text color={status.relay.state === 'connected' ? 'green' : status.relay.state === 'refused' ? 'red' : 'yellow'}>{relayStateText(status.relay)}</Text>
        </Text>
      ) : null}
      {devices ? (
        <Box marginTop={1}>
          <DevicesPanel admin={admin} />
        </Box>
      ) : (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Devices</Text>
          {active.length === 0 ? <Text dimColor>  none yet: openmates remote-access devices add NAME</Text> : null}
          {active.map((device) => (
            <Text key={device.id}>
              {'  '}
              {device.connected > 0 ? <Text color="green">●</Text> : <Text dimColor>○</Text>} {device.name} <Text dimColor>({device.role})</Text>{' '}
              {device.connected > 0 ? `connected (${device.connected})` : ''}
            </Text>
          ))}
        </Box>
      )}
      {deskRows > 0 ? (
        <Box flexDirection="column" marginTop={1} height={deskRows} overflow="hidden">
          <ApprovalDeskView desk={desk} rows={deskRows} showIdle={false} />
        </Box>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Requests ({status.requests})</Text>
        {state.feed.slice(-feedRows).map((record) => (
          <Text key={record.seq} wrap="truncate-end">
            {'  '}
            {record.time.slice(11, 19)} {record.device.name} {record.op} {record.target}{' '}
            {record.decision === 'refused' ? <Text color="red">refused</Text> : record.result === 'ok' ? <Text color="green">ok</Text> : <Text color="red">{record.code}</Text>}
          </Text>
        ))}
      </Box>
      {state.notices.map((notice, index) => (
        <Text key={index} dimColor>
          {notice}
        </Text>
      ))}
      {state.stopping ? (
        <Text dimColor>Stopping: {state.stopping}</Text>
      ) : (
        <KeyHints hints={admin.mode.name !== 'browse' ? admin.hints : [...desk.hints, ...(desk.mode.name === 'browse' && devices ? admin.hints : []), ...(desk.mode.name === 'reason' ? [] : [{ keys: 'q', action: 'stop the agent' }])]} />
      )}
    </Box>
  );
}
