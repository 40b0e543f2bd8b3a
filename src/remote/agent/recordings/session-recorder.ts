import type { FileHandle } from 'node:fs/promises';
import type { Redactor } from '../../../core/secrets/index.js';
import type { TerminalSession } from '../../../core/terminals/index.js';
import { CastFile } from './cast-file.js';
import { castEventLine, castHeaderLine } from './cast-format.js';
import { OutputEvents } from './output-events.js';

export interface SessionRecorderOptions {
  /** The recording's file, opened for appending. */
  opening: Promise<FileHandle>;
  startedAt: Date;
  device: { id: string; name: string };
  redactor?: Redactor;
  /** Called once if the recording stops before the session ends. */
  onStop(why: string): void;
}

export interface SessionRecorder {
  /** Set once the bounds are known: the file stops there. */
  limit(maxBytes: number): void;
  /** Ends the recording (at the session's end, or earlier): held-back text is written, the file closed. Idempotent. */
  finish(): Promise<void>;
}

/** Follows one session through its taps into one asciicast file, from now until it ends. */
export function recordSession(session: TerminalSession, options: SessionRecorderOptions): SessionRecorder {
  const info = session.info();
  const file = new CastFile(options.opening, options.onStop);
  file.append(
    castHeaderLine({
      version: 2,
      width: info.cols,
      height: info.rows,
      timestamp: Math.floor(options.startedAt.getTime() / 1000),
      title: `${info.id} from ${options.device.name}`,
      env: { TERM: 'xterm-256color', SHELL: info.shell },
      openmates: { terminal: info.id, device: { id: options.device.id, name: options.device.name }, startedAt: options.startedAt.toISOString() },
    }),
  );
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const events = new OutputEvents(options.redactor, (event) => file.append(castEventLine(event)));
  const stopOutput = session.onOutput((bytes) => {
    if (!file.isStopped) events.output(seconds(), bytes);
  });
  const stopResize = session.onResize((cols, rows) => events.resize(seconds(), cols, rows));
  let finishing: Promise<void> | undefined;
  const finish = () =>
    (finishing ??= (() => {
      stopOutput();
      stopResize();
      events.end(seconds());
      return file.close();
    })());
  session.onEnd(() => void finish());
  return {
    limit: (maxBytes) => (file.maxBytes = maxBytes),
    finish,
  };
}
