import type { EventSink } from '../../core/events.js';
import { isOpenmatesError, messageOf } from '../../core/errors.js';

/** --json: one object per line on stdout; the last one is the result or the error. */
export function jsonEventSink(stream: NodeJS.WritableStream = process.stdout): EventSink {
  return (event) => writeJsonLine(stream, event);
}

export function writeJsonLine(stream: NodeJS.WritableStream, value: object): void {
  stream.write(`${JSON.stringify(value)}\n`);
}

export function jsonError(error: unknown, exitCode: number): object {
  if (isOpenmatesError(error)) {
    return { type: 'error', kind: error.kind, message: error.message, hint: error.hint ?? null, details: error.details, exitCode };
  }
  return { type: 'error', kind: 'internal', message: messageOf(error), hint: null, details: [], exitCode };
}
