import { useEffect, useRef, useState } from 'react';
import type { LogStreamInfo } from '../../core/logs/types.js';
import type { Operations } from '../../core/operations.js';
import type { LogBuffer } from './log-buffer.js';

/** At most this often the screen redraws for new lines (~30 per second), however fast they come. */
export const RENDER_INTERVAL_MS = 33;

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
 * unmount, and restarted when the choice changes). New lines do not re-render one by one: the
 * returned `frame` changes at most every RENDER_INTERVAL_MS.
 */
export function useLogStream(operations: Operations, installDir: string, choice: LogStreamChoice, buffer: LogBuffer, attempt = 0) {
  const [state, setState] = useState<LogStreamState>({ status: 'starting' });
  const [frame, setFrame] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastFrameAt = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    let info: LogStreamInfo | undefined;
    const redraw = () => {
      timer.current = undefined;
      lastFrameAt.current = Date.now();
      setFrame((count) => count + 1);
    };
    const scheduleRedraw = () => {
      if (timer.current !== undefined || controller.signal.aborted) return;
      timer.current = setTimeout(redraw, Math.max(0, lastFrameAt.current + RENDER_INTERVAL_MS - Date.now()));
    };
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
            scheduleRedraw();
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
      clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, [operations, installDir, choice.since, choice.tail, buffer, attempt]);

  return { state, frame };
}
