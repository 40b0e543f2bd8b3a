import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../../../core/errors.js';
import { ensurePrivateFolder } from '../../../core/files/private-folder.js';
import type { Redactor } from '../../../core/secrets/index.js';
import type { TerminalSession } from '../../../core/terminals/index.js';
import { listRecordings, type RecordingInfo } from './recording-list.js';
import { pruneRecordings } from './recording-prune.js';
import { CAST_EXTENSION, recordingName } from './recording-name.js';
import { recordSession } from './session-recorder.js';

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
    const startedAt = now();
    const terminal = session.id;
    const name = recordingName(startedAt, terminal);
    const path = join(options.dir, `${name}${CAST_EXTENSION}`);
    let markFinished!: () => void;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    const recorder = recordSession(session, {
      opening: ensureFolder().then(() => open(path, 'ax', 0o600)),
      startedAt,
      device: startOptions.device,
      ...(startOptions.redactor ? { redactor: startOptions.redactor } : {}),
      onStop: (why) => warn(`The recording of terminal ${terminal} (${name}) stopped: ${why}. The terminal goes on, unrecorded from here.`),
    });
    const finish = () =>
      recorder.finish().finally(() => {
        active.delete(name);
        markFinished();
      });
    active.set(name, finish);
    session.onEnd(() => void finish());
    options.bounds().then(
      (bounds) => recorder.limit(bounds.maxBytes),
      () => undefined, // unreadable settings: the prune below says so
    );
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
