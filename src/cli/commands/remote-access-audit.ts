import { OpenmatesError } from '../../core/errors.js';
import type { AuditRecord } from '../../remote/agent/audit-record.js';
import { readAuditLog } from '../../remote/agent/audit-reader.js';
import { verifyAuditLog } from '../../remote/agent/audit-verify.js';
import { remoteStateDir } from '../../remote/agent/state-dir.js';
import type { CliContext } from '../context.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { RemoteAccessAuditOptions } from './remote-access-audit.command.js';

export async function remoteAccessAuditCommand(options: RemoteAccessAuditOptions, context: CliContext): Promise<number> {
  const stateDir = remoteStateDir();
  if (options.verify) {
    const result = await verifyAuditLog(stateDir);
    if (!result.ok) {
      throw new OpenmatesError(
        'invalid-config',
        `The audit log ${result.path} is not intact: line ${result.problem!.line}: ${result.problem!.reason}.`,
        `The ${result.records} records before it are intact; keep a copy of the file as it is for inspection.`,
      );
    }
    if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, records: result.records, file: result.path });
    else context.stdout.write(`${color.green('✓')} The audit log is intact: ${result.records} records, none changed, removed, reordered or cut off (${result.path}).\n`);
    return 0;
  }
  const print = (record: AuditRecord) => (options.json ? writeJsonLine(context.stdout, { type: 'record', ...record }) : context.stdout.write(`${recordLine(record)}\n`));
  const count = await readAuditLog(stateDir, print, { follow: options.follow, signal: context.signal });
  if (options.json && !options.follow) writeJsonLine(context.stdout, { type: 'result', records: count });
  else if (count === 0 && !options.follow) context.stderr.write('No remote requests yet.\n');
  return 0;
}

export function recordLine(record: AuditRecord): string {
  const outcome = record.decision === 'refused' ? color.red(`refused: ${record.reason ?? ''}`) : record.result === 'ok' ? color.green('ok') : color.red(`error ${record.code ?? ''}`);
  const target = record.target ? ` ${record.target}` : '';
  const approval = record.approval ? `  approval ${record.approval.id} ${record.approval.decision} by ${record.approval.by}` : '';
  return `${record.time.slice(0, 19).replace('T', ' ')}  ${record.device.name} (${record.role})  ${record.op}${target}  ${outcome}${approval}  ${record.bytes} B ${record.durationMs} ms`;
}
