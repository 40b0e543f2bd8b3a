import { Box, Text } from 'ink';
import { symbols } from '../components/theme.js';
import { ROLES, type DeviceAdmin } from './use-device-admin.js';

/** Rows the panel takes, so the approvals below it get the rest. */
export function devicesPanelRows(admin: DeviceAdmin): number {
  const list = admin.mode.name === 'revoke' ? 1 : Math.max(1, admin.active.length);
  const prompt = { browse: 0, name: admin.mode.name === 'name' && admin.mode.error ? 3 : 2, role: 1 + ROLES.length, adding: 1, link: 0, revoke: 0, 'revoke-confirm': 2, revoking: 1 }[admin.mode.name];
  return 1 + list + prompt + (admin.notice ? 1 : 0) + (admin.listError ? 1 : 0) + 1;
}

/** The devices of the remote-access agent, and the prompts of adding and revoking one. */
export function DevicesPanel({ admin }: { admin: DeviceAdmin }) {
  const { mode, active } = admin;
  return (
    <Box flexDirection="column" marginBottom={1} flexShrink={0}>
      <Text bold>Devices</Text>
      {admin.listError ? <Text color="red">  {admin.listError}</Text> : null}
      {mode.name === 'revoke' ? (
        <Text>  Revoke which device?</Text>
      ) : admin.devices === undefined ? (
        <Text dimColor>  reading…</Text>
      ) : active.length === 0 ? (
        <Text dimColor>  none yet: press a to add one</Text>
      ) : null}
      {active.map((device, index) => (
        <Text key={device.id} wrap="truncate-end">
          {mode.name === 'revoke' && mode.index === index ? <Text color="cyan">{symbols.pointer} </Text> : '  '}
          {device.connected > 0 ? <Text color="green">●</Text> : <Text dimColor>○</Text>} {device.name} <Text dimColor>({device.role}{device.rawSecrets ? ', raw secrets' : ''})</Text>
          {device.connected > 0 ? ` connected (${device.connected})` : ''}
        </Text>
      ))}
      {mode.name === 'name' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            Name of the new device: <Text color="cyan">{mode.text}</Text>
            <Text inverse> </Text>
          </Text>
          {mode.error ? <Text color="red">{symbols.error} {mode.error}</Text> : null}
        </Box>
      ) : null}
      {mode.name === 'role' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>Role of {mode.deviceName}:</Text>
          {ROLES.map((choice, index) => (
            <Text key={choice.role} wrap="truncate-end">
              {index === mode.index ? <Text color="cyan">{symbols.pointer} </Text> : '  '}
              <Text bold={index === mode.index}>{choice.role}</Text> <Text dimColor>{choice.text}</Text>
            </Text>
          ))}
        </Box>
      ) : null}
      {mode.name === 'adding' ? <Text>Adding {mode.deviceName}…</Text> : null}
      {mode.name === 'revoke-confirm' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="yellow">
            {symbols.warning} Revoke {mode.device.name} ({mode.device.role})? Its link stops working and its open sessions end.
          </Text>
        </Box>
      ) : null}
      {mode.name === 'revoking' ? <Text>Revoking {mode.device.name}…</Text> : null}
      {admin.notice ? <Text color="yellow">{admin.notice}</Text> : null}
    </Box>
  );
}
