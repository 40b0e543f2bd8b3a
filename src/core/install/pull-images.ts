import type { DockerEngine, PullProgress } from '../../docker/types.js';
import { OpenmatesError, isOpenmatesError } from '../errors.js';
import type { EventSink } from '../events.js';

const PROGRESS_INTERVAL_MS = 100;
const PARALLEL_PULLS = 3;

/**
 * Pulls every image before anything is started, a few at a time, reporting progress per image
 * (throttled). An image that cannot be pulled but is already present is used with a warning;
 * otherwise the first failure is thrown once every pull has settled, listing all that failed.
 */
export async function pullImages(engine: DockerEngine, images: string[], sink: EventSink, signal?: AbortSignal): Promise<{ downloaded: number }> {
  let downloaded = 0;
  const failures: OpenmatesError[] = [];
  const queue = [...images];
  const worker = async () => {
    for (let image = queue.shift(); image !== undefined; image = queue.shift()) {
      if (signal?.aborted) return;
      try {
        const bytes = await pullOne(engine, image, sink, signal);
        if (bytes > 0) downloaded++;
      } catch (error) {
        if (signal?.aborted) return;
        if (await engine.imageExists(image).catch(() => false)) {
          sink({ type: 'warning', message: `Could not pull ${image}; using the copy already on this server.`, hint: isOpenmatesError(error) ? error.message : undefined });
          continue;
        }
        failures.push(isOpenmatesError(error) ? error : new OpenmatesError('operation-failed', `Could not pull ${image}: ${(error as Error).message}.`));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PULLS, images.length) }, worker));
  if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped while pulling images; nothing was started.');
  const [first, ...others] = failures;
  if (first) throw new OpenmatesError(first.kind, first.message, first.hint, [...first.details, ...others.map((other) => other.message)]);
  return { downloaded };
}

async function pullOne(engine: DockerEngine, image: string, sink: EventSink, signal?: AbortSignal): Promise<number> {
  let last: PullProgress = { bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 0 };
  let lastSent = 0;
  const send = (status: 'pulling' | 'done' | 'up-to-date') => sink({ type: 'pull-progress', image, status, ...last });
  send('pulling');
  await engine.pullImage(
    image,
    (progress) => {
      last = progress;
      const now = Date.now();
      if (now - lastSent >= PROGRESS_INTERVAL_MS) {
        lastSent = now;
        send('pulling');
      }
    },
    signal,
  );
  send(last.bytesTotal > 0 ? 'done' : 'up-to-date');
  return last.bytesTotal;
}
