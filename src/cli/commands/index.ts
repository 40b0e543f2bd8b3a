import type { CommandSpec } from '../command-spec.js';
import { backupCommandSpec } from './backup.command.js';
import { backupsCommandSpec } from './backups.command.js';
import { configGetCommandSpec, configListCommandSpec, configSetCommandSpec } from './config.command.js';
import { installCommandSpec } from './install.command.js';
import { restartCommandSpec, startCommandSpec, stopCommandSpec } from './lifecycle.command.js';
import { loginCommandSpec } from './login.command.js';
import { logoutCommandSpec } from './logout.command.js';
import { resetCommandSpec } from './reset.command.js';
import { restoreCommandSpec } from './restore.command.js';
import { statusCommandSpec } from './status.command.js';
import { logsCommandSpec } from './logs.command.js';
import { uninstallCommandSpec } from './uninstall.command.js';
import { updateCommandSpec } from './update.command.js';
import { whoamiCommandSpec } from './whoami.command.js';
import { remoteAccessStartCommandSpec } from './remote-access-start.command.js';
import { remoteAccessInstallServiceCommandSpec, remoteAccessUninstallServiceCommandSpec } from './remote-access-service.command.js';
import { remoteAccessStatusCommandSpec, remoteAccessStopCommandSpec } from './remote-access-status.command.js';
import { remoteAccessDevicesAddCommandSpec, remoteAccessDevicesCommandSpec, remoteAccessDevicesRevokeCommandSpec } from './remote-access-devices.command.js';
import { remoteAccessAuditCommandSpec } from './remote-access-audit.command.js';
import { remoteAccessUndoCommandSpec } from './remote-access-undo.command.js';
import { remoteAccessRecordingsCommandSpec, remoteAccessRecordingsShowCommandSpec } from './remote-access-recordings.command.js';
import { remoteAccessApprovalsCommandSpec, remoteAccessApproveCommandSpec, remoteAccessDenyCommandSpec } from './remote-access-approvals.command.js';
import { remoteHostCommandSpec } from './remote-host.command.js';
import { remoteAuditCommandSpec } from './remote-audit.command.js';
import { remoteFilesCommandSpecs } from './remote-files.command.js';
import { remoteExecCommandSpec } from './remote-exec.command.js';
import { remoteShellCommandSpec } from './remote-shell.command.js';
import { remoteServerCommandSpecs } from './remote-server.command.js';
import { remoteServersCommandSpecs } from './remote-servers.command.js';
import { relayCommandSpec } from './relay.command.js';
import { runCommandSpec } from './run.command.js';
import { runsCommandSpecs } from './runs.command.js';
import { remoteRunsCommandSpecs } from './remote-runs.command.js';

/** Every command, in the order --help lists them. Add a command: one *.command.ts file and one line here. */
export const COMMANDS = [
  installCommandSpec,
  statusCommandSpec,
  startCommandSpec,
  stopCommandSpec,
  restartCommandSpec,
  logsCommandSpec,
  updateCommandSpec,
  backupCommandSpec,
  restoreCommandSpec,
  backupsCommandSpec,
  resetCommandSpec,
  uninstallCommandSpec,
  loginCommandSpec,
  logoutCommandSpec,
  whoamiCommandSpec,
  configListCommandSpec,
  configGetCommandSpec,
  configSetCommandSpec,
  remoteAccessStartCommandSpec,
  remoteAccessStatusCommandSpec,
  remoteAccessStopCommandSpec,
  remoteAccessInstallServiceCommandSpec,
  remoteAccessUninstallServiceCommandSpec,
  remoteAccessDevicesCommandSpec,
  remoteAccessDevicesAddCommandSpec,
  remoteAccessDevicesRevokeCommandSpec,
  remoteAccessAuditCommandSpec,
  remoteAccessUndoCommandSpec,
  remoteAccessRecordingsCommandSpec,
  remoteAccessRecordingsShowCommandSpec,
  remoteAccessApprovalsCommandSpec,
  remoteAccessApproveCommandSpec,
  remoteAccessDenyCommandSpec,
  remoteHostCommandSpec,
  remoteAuditCommandSpec,
  ...remoteFilesCommandSpecs,
  remoteExecCommandSpec,
  remoteShellCommandSpec,
  ...remoteServerCommandSpecs,
  ...remoteServersCommandSpecs,
  ...remoteRunsCommandSpecs,
  relayCommandSpec,
  runCommandSpec,
  ...runsCommandSpecs,
] as CommandSpec<never>[];
