import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeEvent } from '../event-text.js';
import type { EventSink } from '../events.js';
import type { InstallLayout } from '../install-dir.js';

export interface OperationLog {
  path: string;
  sink: EventSink;
  line(text: string): void;
  close(): Promise<void>;
}

/** A timestamped plain-text record of one operation in <install dir>/logs/. Events hold no secrets. */
export function openOperationLog(layout: InstallLayout, operation: string): OperationLog {
  mkdirSync(layout.logsDir, { recursive: true });
  const path = join(layout.logsDir, `${operation}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  const line = (text: string) => stream.write(`${new Date().toISOString()} ${text}\n`);
  return {
    path,
    line,
    sink: (event) => {
      const text = describeEvent(event);
      if (text !== undefined) line(text.trim());
    },
    close: () => new Promise((resolvePromise) => stream.end(resolvePromise)),
  };
}
