import { createOperations } from '../../core/create-operations.js';
import type { RestoreCommandOptions } from './restore.command.js';
import { installDirOf, type CliContext } from '../context.js';
import { color } from '../format.js';
import { humanProgressSink } from '../render/human-progress.js';
import { jsonEventSink, writeJsonLine } from '../render/json-lines.js';

export async function restoreCommand(options: RestoreCommandOptions, context: CliContext): Promise<number> {
  const operations = createOperations(await context.deps());
  const sink = options.json ? jsonEventSink(context.stdout) : humanProgressSink(context.stderr);
  const restored = await operations.restore(
    { installDir: installDirOf(options), file: options.file, ...(options.confirm !== undefined ? { confirm: options.confirm } : {}) },
    sink,
    context.signal,
  );
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, ...restored });
  else context.stdout.write(`\n${color.green('✓')} Restored ${color.bold(restored.version)} from ${restored.file} (taken ${restored.createdAt}); the stack is healthy.\n\n`);
  return 0;
}
