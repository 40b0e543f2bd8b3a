import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LogStreamInfo } from '../../core/logs/types.js';
import type { Operations } from '../../core/operations.js';
import type { LogBuffer } from './log-buffer.js';
import { RedrawPacer } from './redraw-pacer.js';

export interface LogStreamChoice {
  since?: string;
  tail?: number;
}

export type LogStreamState =
  | { status: 'starting' }
  | { status: 'live'; info: LogStreamInfo }
  | { status: 'ended'; info?: LogStreamInfo }
  | { status: 'failed'; info?: LogStreamInfo; error: unknown };

/**
 * Follows every service's log into `buffer` while the screen is mounted (the stream is aborted on
 * unmount, and restarted when the choice changes). New lines do not re-render one by one: a
 * RedrawPacer decides when the screen redraws (at most ~30 times a second).
 */
export function useLogStream(operations: Operations, installDir: string, choice: LogStreamChoice, buffer: LogBuffer, attempt = 0, onRedraw?: () => void) {
  const [state, setState] = useState<LogStreamState>({ status: 'starting' });
  const [frame, setFrame] = useState(0);
  const pacer = useRef<RedrawPacer | undefined>(undefined);
  const redrawListener = useRef(onRedraw);
  redrawListener.current = onRedraw;

  // After each commit: the redraw (React and Ink) is done, which tells the pacer what it cost.
  useLayoutEffect(() => pacer.current?.drawn(), [frame]);

  useEffect(() => {
    const controller = new AbortController();
    let info: LogStreamInfo | undefined;
    const lines = new RedrawPacer(() => {
      setFrame((count) => count + 1);
      redrawListener.current?.();
    });
    pacer.current = lines;
    buffer.clear();
    setState({ status: 'starting' });
    setFrame((count) => count + 1);
    operations
      .logs(
        { installDir, follow: true, timestamps: true, ordered: true, ...(choice.since ? { since: choice.since } : {}), ...(choice.tail === undefined ? {} : { tail: choice.tail }) },
        {
          started: (started) => {
            info = started;
            if (!controller.signal.aborted) setState({ status: 'live', info: started });
          },
          entries: (batch) => {
            if (controller.signal.aborted) return;
            buffer.push(batch);
            lines.request();
          },
        },
        controller.signal,
      )
      .then(
        () => {
          if (!controller.signal.aborted) setState({ status: 'ended', ...(info ? { info } : {}) });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ status: 'failed', error, ...(info ? { info } : {}) });
        },
      );
    return () => {
      controller.abort();
      lines.stop();
    };
  }, [operations, installDir, choice.since, choice.tail, buffer, attempt]);

  return { state, frame };
}
