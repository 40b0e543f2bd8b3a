/** Every terminal session recorded as an asciicast v2 file in the agent's state dir (issue 13). */
export { openAgentRecordings } from './agent-recordings.js';
export { createRecordings, type RecordingBounds, type Recordings, type RecordingsOptions, type StartRecordingOptions, type StartedRecording } from './recordings.js';
export { listRecordings, type RecordingInfo } from './recording-list.js';
export { findRecording, recordingOutput } from './recording-read.js';
export { castEventLine, castHeaderLine, parseCastEvent, parseCastHeader, type CastEvent, type CastFacts, type CastHeader } from './cast-format.js';
