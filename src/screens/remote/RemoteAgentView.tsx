import { Box, Text, useInput } from 'ink';
import type { RemoteViewState } from './remote-view-state.js';

/** `remote-access start` on a terminal: what is shared, the mode, the devices, a live feed of requests. */
export function RemoteAgentView({ state, rows, onQuit }: { state: RemoteViewState; rows: number; onQuit: () => void }) {
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
  });
  const status = state.status;
  if (!status) return <Text>Starting the remote-access agent…</Text>;
  const active = status.devices.filter((device) => !device.revoked);
  const feedRows = Math.max(3, rows - 10 - active.length - state.notices.length);
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
          <Text color="yellow">safety mode on: every change waits for an approval (openmates remote-access approvals)</Text>
        ) : (
          <Text color="cyan">safety mode off: changes run at once</Text>
        )}
      </Text>
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
      <Text dimColor>{state.stopping ? `Stopping: ${state.stopping}` : 'q or Ctrl-C stops the agent'}</Text>
    </Box>
  );
}
