import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../../../core/errors.js';
import { ensurePrivateFolder } from '../../../core/files/private-folder.js';
import type { Redactor } from '../../../core/secrets/index.js';
import type { TerminalSession } from '../../../core/terminals/index.js';
import { CastFile } from './cast-file.js';
import { castEventLine, castHeaderLine } from './cast-format.js';
import { OutputEvents } from './output-events.js';
import { listRecordings, type RecordingInfo } from './recording-list.js';
import { pruneRecordings } from './recording-prune.js';
import { CAST_EXTENSION, recordingName } from './recording-name.js';

/** The same bounds as the undo journal (settings undoMaxBytes, undoMaxAgeDays): for all recordings together. */
export interface RecordingBounds {
  maxBytes: number;
  maxAgeDays: number;
}

export interface RecordingsOptions {
  /** The agent's `<stateDir>/recordings` (recordingsDir()); made 0700 when missing. */
  dir: string;
  /** Read at each start and prune, so a changed setting applies to the next session. */
  bounds: () => Promise<RecordingBounds>;
  /** Told once when a recording stops early (disk full, its size bound) or a prune fails; the session goes on. Default: stderr. */
  warn?: (message: string) => void;
  now?: () => Date;
}

export interface StartRecordingOptions {
  /** The device that opened the terminal (in the header, and in the list). */
  device: { id: string; name: string };
  /** For devices that must not see secrets (operators): the output is recorded as they see it. */
  redactor?: Redactor;
}

export interface StartedRecording {
  /** For the terminal's info and its audit line. */
  name: string;
  path: string;
  /** Settles when the file is complete and closed (the session ended, or stopAll). Never rejects. */
  finished: Promise<void>;
}

export interface Recordings {
  /** Records `session` from now on as `<dir>/<name>.cast` (0600), until it ends; then prunes. */
  start(session: TerminalSession, options: StartRecordingOptions): StartedRecording;
  /** Newest first. */
  list(): Promise<RecordingInfo[]>;
  /** Removes the oldest while over bounds().maxBytes, and those ended more than maxAgeDays ago; never one being written. */
  prune(): Promise<{ removed: number }>;
  /** Finishes every recording now (what is held back is written, the files closed): the agent is stopping. */
  stopAll(): Promise<void>;
}

export function createRecordings(options: RecordingsOptions): Recordings {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const now = options.now ?? (() => new Date());
  const active = new Map<string, () => Promise<void>>();
  let folder: Promise<void> | undefined;
  const ensureFolder = () => (folder ??= ensurePrivateFolder(options.dir).catch((error: unknown) => {
    folder = undefined;
    throw error;
  }));

  const prune = async () => pruneRecordings(options.dir, await options.bounds(), new Set(active.keys()), now().getTime());

  const start = (session: TerminalSession, startOptions: StartRecordingOptions): StartedRecording => {
    const info = session.info();
    const startedAt = now();
    const name = recordingName(startedAt, info.id);
    const path = join(options.dir, `${name}${CAST_EXTENSION}`);
    const file = new CastFile(
      ensureFolder().then(() => open(path, 'ax', 0o600)),
      (why) => warn(`The recording of terminal ${info.id} (${name}) stopped: ${why}. The terminal goes on, unrecorded from here.`),
    );
    file.append(
      castHeaderLine({
        version: 2,
        width: info.cols,
        height: info.rows,
        timestamp: Math.floor(startedAt.getTime() / 1000),
        title: `${info.id} from ${startOptions.device.name}`,
        env: { TERM: 'xterm-256color', SHELL: info.shell },
        openmates: { terminal: info.id, device: { id: startOptions.device.id, name: startOptions.device.name }, startedAt: startedAt.toISOString() },
      }),
    );
    options.bounds().then(
      (bounds) => (file.maxBytes = bounds.maxBytes),
      () => undefined, // unreadable settings: prune says so below
    );

    const t0 = performance.now();
    const seconds = () => (performance.now() - t0) / 1000;
    const events = new OutputEvents(startOptions.redactor, (event) => file.append(castEventLine(event)));
    const stopOutput = session.onOutput((bytes) => events.output(seconds(), bytes));
    const stopResize = session.onResize((cols, rows) => events.resize(seconds(), cols, rows));
    let markFinished!: () => void;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    let finishing: Promise<void> | undefined;
    const finish = () =>
      (finishing ??= (() => {
        stopOutput();
        stopResize();
        events.end(seconds());
        return file.close().finally(() => {
          active.delete(name);
          markFinished();
        });
      })());
    active.set(name, finish);
    session.onEnd(() => void finish());
    prune().catch((error: unknown) => warn(`Pruning the terminal recordings in ${options.dir} failed: ${messageOf(error)}.`));
    return { name, path, finished };
  };

  return {
    start,
    list: () => listRecordings(options.dir),
    prune,
    stopAll: async () => {
      await Promise.all([...active.values()].map((finish) => finish()));
    },
  };
}
