import { createLoginOperations } from '../../core/login/create-login-operations.js';
import type { LogoutResult } from '../../core/login/types.js';
import type { CommonOptions } from '../common-options.js';
import type { CliContext } from '../context.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';

export async function logoutCommand(options: CommonOptions, context: CliContext): Promise<number> {
  const result = await createLoginOperations().logout(context.signal);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ...result });
  else context.stdout.write(logoutText(result));
  return 0;
}

function logoutText(result: LogoutResult): string {
  if (!result.wasLoggedIn) return `Not logged in; there was no session in ${result.sessionFile}.\n`;
  const server = result.serverNotified
    ? `${color.green('✓')} Logged out${result.apiBase ? ` of ${result.apiBase}` : ''}: ${result.serverDetail}.`
    : `${color.yellow('!')} The server was not told (${result.serverDetail}); the session stays valid there until it expires.`;
  return `${server}\n${color.green('✓')} Deleted ${result.sessionFile}.\n`;
}
