import { qrCodeLines } from '../../auth/qr-code.js';
import { addDevice, agentStatus, revokeDevice } from '../../remote/agent/device-admin.js';
import { remoteStateDir } from '../../remote/agent/state-dir.js';
import type { CliContext } from '../context.js';
import { color, table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { pairingLines } from '../render/pairing-layout.js';
import type { RemoteAccessDevicesOptions } from './remote-access-devices.command.js';

export async function devicesListCommand(options: RemoteAccessDevicesOptions, context: CliContext): Promise<number> {
  const { devices, running } = await agentStatus(remoteStateDir());
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', running, devices });
    return 0;
  }
  if (devices.length === 0) {
    context.stdout.write('No devices yet. Add one with: openmates remote-access devices add NAME\n');
    return 0;
  }
  const rows = devices.map((device) => [device.name, device.rawSecrets ? `${device.role} (raw secrets)` : device.role, device.created.slice(0, 16).replace('T', ' '), device.revoked ? `revoked ${device.revoked.slice(0, 16).replace('T', ' ')}` : device.connected > 0 ? `connected (${device.connected})` : running ? 'not connected' : 'active']);
  context.stdout.write(`${table([['NAME', 'ROLE', 'ADDED', 'STATE'], ...rows])}\n`);
  return 0;
}

export async function devicesAddCommand(options: RemoteAccessDevicesOptions, context: CliContext): Promise<number> {
  const { device, link } = await addDevice(remoteStateDir(), options.name!, options.role, { rawSecrets: options.rawSecrets === true });
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', device, link });
    return 0;
  }
  const added = `Added ${device.name} (${device.role}${device.rawSecrets ? ', sees secrets as they are' : ''}). Its link, shown this once:`;
  const keep = 'The link is the device\'s key: anyone who has it can connect as this device. Keep it in a file only you can read (openmates remote --link-file FILE, or OPENMATES_REMOTE_LINK); revoke it with `openmates remote-access devices revoke NAME`.';
  const lines = context.stdout.isTTY
    ? // Beside the code (plain text, so its width is its length): code, text and link take 22 rows at 80 columns.
      pairingLines({ qr: qrCodeLines(link), instructions: [`✓ ${added}`, `Scan the code with the device's camera, or copy the link below.`, keep], link, columns: context.stdout.columns })
    : [`${color.green('✓')} ${added}`, '', `  ${link}`, '', keep];
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export async function devicesRevokeCommand(options: RemoteAccessDevicesOptions, context: CliContext): Promise<number> {
  const device = await revokeDevice(remoteStateDir(), options.name!);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', device });
  else context.stdout.write(`Revoked ${device.name}: its link no longer works${device.connected === 0 ? '' : ' and its sessions were ended'}.\n`);
  return 0;
}
