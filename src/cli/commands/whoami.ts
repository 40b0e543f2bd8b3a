import { createLoginOperations } from '../../core/login/create-login-operations.js';
import type { LoggedInAccount } from '../../core/login/types.js';
import type { CommonOptions } from '../common-options.js';
import type { CliContext } from '../context.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';

export async function whoamiCommand(options: CommonOptions, context: CliContext): Promise<number> {
  const account = await createLoginOperations().whoami(context.signal);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', loggedIn: true, ...account });
  else context.stdout.write(accountText(account));
  return 0;
}

/** "Logged in as ada at https://api.example.org" and where it came from; no secret. */
export function accountText(account: LoggedInAccount): string {
  const who = account.username ? `as ${color.bold(account.username)} ` : '';
  const lines = [`${color.green('✓')} Logged in ${who}at ${account.apiBase}`];
  const approved = account.authorizedBy ? `approved on ${account.authorizedBy}, ` : '';
  lines.push(color.dim(`  ${approved}since ${account.loggedInAt}${account.expiresAt ? `, logs out at ${account.expiresAt}` : ''}`));
  lines.push(color.dim(`  Session file: ${account.sessionFile}`));
  return `${lines.join('\n')}\n`;
}
