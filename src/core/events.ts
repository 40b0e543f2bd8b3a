/**
 * What an operation tells its face while it runs. The TUI, the human line renderer and the
 * JSON renderer are each one switch over this union; nothing here may hold a secret.
 */
export type StepId = string;

export type ServiceHealth = 'healthy' | 'starting' | 'unhealthy' | 'running' | 'completed' | 'exited' | 'restarting' | 'missing';

export type OperationEvent =
  | { type: 'step-started'; step: StepId; title: string }
  | { type: 'step-finished'; step: StepId; outcome: 'done' | 'skipped' | 'warning'; detail?: string }
  | { type: 'step-failed'; step: StepId; message: string }
  | {
      /** Pull progress of one image; renderers add the images up for the total. */
      type: 'pull-progress';
      image: string;
      bytesDone: number;
      bytesTotal: number;
      layersDone: number;
      layersTotal: number;
      status: 'pulling' | 'done' | 'up-to-date';
    }
  | { type: 'health'; service: string; state: ServiceHealth; detail?: string }
  | {
      /** A preflight check (with level and hint) or a health check answer. */
      type: 'check';
      name: string;
      ok: boolean;
      detail: string;
      level?: 'ok' | 'warning' | 'error';
      hint?: string;
      /** A health check that answered degraded: up, with the reasons its answer gives. */
      degraded?: boolean;
      reasons?: string[];
    }
  | { type: 'log-line'; service: string; line: string }
  | { type: 'warning'; message: string; hint?: string }
  | { type: 'info'; message: string };

export type EventSink = (event: OperationEvent) => void;

export const ignoreEvents: EventSink = () => {};
