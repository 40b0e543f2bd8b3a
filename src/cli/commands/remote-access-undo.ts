import type { UndoEntry } from '../../core/files/index.js';
import { applyUndo, listUndo } from '../../remote/agent/undo-admin.js';
import { remoteStateDir } from '../../remote/agent/state-dir.js';
import type { CliContext } from '../context.js';
import { color, humanBytes, table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { RemoteAccessUndoOptions } from './remote-access-undo.command.js';

const LIST_LIMIT = 50;

export async function remoteAccessUndoCommand(options: RemoteAccessUndoOptions, context: CliContext): Promise<number> {
  const stateDir = remoteStateDir();
  if (options.id !== undefined) {
    const result = await applyUndo(stateDir, options.id, options.force);
    if (options.json) writeJsonLine(context.stdout, { type: 'result', ...result });
    else context.stdout.write(`${color.green('✓')} Undid ${result.id} (${result.op}): ${result.message}\n`);
    return 0;
  }
  const entries = await listUndo(stateDir, LIST_LIMIT);
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', entries });
    return 0;
  }
  if (entries.length === 0) {
    context.stdout.write('No file changes recorded yet (changes made through remote access are listed here).\n');
    return 0;
  }
  const rows = entries.map((entry) => [entry.id, entry.time.slice(0, 19).replace('T', ' '), entry.device.name, entry.op, pathOf(entry), humanBytes(entry.before.exists ? entry.before.bytes : 0), entry.state === 'undone' ? `undone ${entry.undone?.time.slice(0, 16).replace('T', ' ') ?? ''}` : '']);
  context.stdout.write(`${table([['ID', 'WHEN', 'DEVICE', 'OP', 'PATH', 'REPLACED', 'UNDONE'], ...rows])}\n`);
  context.stderr.write(`Put one back with: openmates remote-access undo ID${entries.length === LIST_LIMIT ? ` (the newest ${LIST_LIMIT} are shown; --json for them as data)` : ''}\n`);
  return 0;
}

function pathOf(entry: UndoEntry): string {
  return entry.op === 'move' && entry.from !== undefined ? `${entry.from} -> ${entry.path}` : entry.path;
}
