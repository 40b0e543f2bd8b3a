import { once } from 'node:events';
import { findRecording, listRecordings, recordingOutput, type RecordingInfo } from '../../remote/agent/recordings/index.js';
import { recordingsDir, remoteStateDir } from '../../remote/agent/state-dir.js';
import type { CliContext } from '../context.js';
import { humanBytes, table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { RemoteAccessRecordingsOptions } from './remote-access-recordings.command.js';

export async function remoteAccessRecordingsCommand(options: RemoteAccessRecordingsOptions, context: CliContext): Promise<number> {
  const dir = recordingsDir(remoteStateDir());
  if (options.name !== undefined) return show(dir, options.name, options, context);
  const recordings = await listRecordings(dir);
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', recordings });
    return 0;
  }
  if (recordings.length === 0) {
    context.stdout.write('No terminal recordings yet (each remote terminal session is recorded here).\n');
    return 0;
  }
  const rows = recordings.map((recording) => [recording.name, when(recording.startedAt), recording.device?.name ?? '-', humanBytes(recording.bytes), duration(recording.durationSeconds)]);
  context.stdout.write(`${table([['NAME', 'WHEN', 'DEVICE', 'SIZE', 'DURATION'], ...rows])}\n`);
  context.stderr.write('Show one with: openmates remote-access recordings show NAME\n');
  return 0;
}

async function show(dir: string, name: string, options: RemoteAccessRecordingsOptions, context: CliContext): Promise<number> {
  const recording = await findRecording(dir, name);
  if (options.raw) {
    for await (const text of recordingOutput(recording.path)) {
      if (!context.stdout.write(text)) await once(context.stdout, 'drain');
    }
    return 0;
  }
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', ...recording });
    return 0;
  }
  context.stdout.write(`${recording.path}\n`);
  context.stderr.write(`${describe(recording)}; play it with \`asciinema play ${recording.path}\`\n`);
  return 0;
}

function describe(recording: RecordingInfo): string {
  return `Terminal ${recording.terminal} opened by ${recording.device?.name ?? 'an unknown device'} at ${when(recording.startedAt)}, ${recording.cols}x${recording.rows}, ${duration(recording.durationSeconds)}, ${humanBytes(recording.bytes)}`;
}

function when(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}
