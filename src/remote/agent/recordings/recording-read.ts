import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { OpenmatesError } from '../../../core/errors.js';
import { parseCastEvent } from './cast-format.js';
import { listRecordings, type RecordingInfo } from './recording-list.js';
import { normalizeRecordingName } from './recording-name.js';

/** The recording called `text` (with or without .cast) in `dir`; a usage error naming how to list them when there is none. */
export async function findRecording(dir: string, text: string): Promise<RecordingInfo> {
  const name = normalizeRecordingName(text);
  const found = name === undefined ? undefined : (await listRecordings(dir)).find((recording) => recording.name === name);
  if (!found) throw new OpenmatesError('usage', `There is no terminal recording ${JSON.stringify(text)}.`, 'List them with `openmates remote-access recordings` (old ones are pruned by undo-max-age and undo-max-size).');
  return found;
}

/** The output stream of a recording ("o" events' text, in order), as it was written to the terminal. */
export async function* recordingOutput(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const event = parseCastEvent(line);
    if (event?.code === 'o') yield event.data;
  }
}
