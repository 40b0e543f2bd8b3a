import type { CliContext } from '../context.js';
import { writeJsonLine } from '../render/json-lines.js';
import { withRemoteServer } from '../remote/with-server.js';
import type { RemoteAuditOptions } from './remote-audit.command.js';
import { recordLine } from './remote-access-audit.js';

/** `openmates remote audit`: audit.recent, oldest of them first on a terminal (it reads like a log); with --json one line per record, newest first as answered. */
export async function remoteAuditCommand(options: RemoteAuditOptions, context: CliContext): Promise<number> {
  const recent = await withRemoteServer(options, context, (server) => server.audit.recent({ ...(options.limit !== undefined ? { limit: options.limit } : {}), signal: context.signal }));
  if (options.json) {
    for (const record of recent.records) writeJsonLine(context.stdout, { type: 'record', ...record });
    writeJsonLine(context.stdout, { type: 'result', records: recent.records.length, more: recent.more });
    return 0;
  }
  for (const record of [...recent.records].reverse()) context.stdout.write(`${recordLine(record)}\n`);
  if (recent.records.length === 0) context.stderr.write('No remote requests yet.\n');
  else if (recent.more) context.stderr.write(`The latest ${recent.records.length}; older ones are in the log (--limit up to 500).\n`);
  return 0;
}
