/**
 * Pull progress as a pure fold over the engine's pull events (one JSON object per line of
 * POST /images/create). Per layer we keep bytes downloaded and its size; the image's progress
 * is the sum over layers. Layers that already exist locally count as done with no bytes.
 *
 * A typical sequence for one layer:
 *   {"status":"Pulling from t1","id":"v1"}                     (id is the tag: not a layer)
 *   {"status":"Pulling fs layer","progressDetail":{},"id":"a3ed95caeb02"}
 *   {"status":"Downloading","progressDetail":{"current":32768,"total":772792},"id":"a3ed95caeb02"}
 *   {"status":"Verifying Checksum","progressDetail":{},"id":"a3ed95caeb02"}
 *   {"status":"Download complete","progressDetail":{},"id":"a3ed95caeb02"}
 *   {"status":"Extracting","progressDetail":{"current":772792,"total":772792},"id":"a3ed95caeb02"}
 *   {"status":"Pull complete","progressDetail":{},"id":"a3ed95caeb02"}
 *   {"status":"Digest: sha256:..."} {"status":"Status: Downloaded newer image for t1:v1"}
 * and registry failures arrive inside the same stream as
 *   {"errorDetail":{"message":"..."},"error":"..."}
 */
import type { PullProgress } from './types.js';

export interface PullEvent {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

export interface LayerProgress {
  /** Bytes downloaded so far (compressed). */
  current: number;
  /** Compressed size, 0 while unknown (and for layers that already exist). */
  total: number;
  done: boolean;
}

export interface PullState {
  readonly layers: ReadonlyMap<string, LayerProgress>;
  /** The registry's message from the first error line, if any. */
  readonly error?: string;
  /** The closing "Status: ..." line, e.g. "Status: Image is up to date for t1:v1". */
  readonly summary?: string;
}

export const initialPullState: PullState = { layers: new Map() };

/** The error message carried by an event, when it is an error line. */
export function pullEventError(event: PullEvent): string | undefined {
  const message = event.errorDetail?.message || event.error;
  return message ? message.trim() : undefined;
}

type LayerStep = (layer: LayerProgress, detail: { current?: number; total?: number }) => LayerProgress;

const positive = (n: number | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

const LAYER_STEPS: Record<string, LayerStep> = {
  'pulling fs layer': (layer) => layer,
  waiting: (layer) => layer,
  downloading: (layer, detail) => ({
    ...layer,
    total: positive(detail.total) || layer.total,
    // A Downloading line without numbers (the first one often has none) keeps what we had.
    current: detail.current === undefined ? layer.current : positive(detail.current),
  }),
  'verifying checksum': (layer) => ({ ...layer, current: layer.total }),
  'download complete': (layer) => ({ ...layer, current: layer.total }),
  // Extracting reports compressed bytes read: when a small layer skipped "Downloading", this is
  // the only place its size shows up.
  extracting: (layer, detail) => {
    const total = layer.total || positive(detail.total);
    return { ...layer, total, current: total };
  },
  'pull complete': (layer) => ({ ...layer, current: layer.total, done: true }),
  'already exists': (layer) => ({ ...layer, done: true }),
};

function layerStepFor(status: string): LayerStep | undefined {
  const key = status.toLowerCase();
  if (key.startsWith('retrying in')) return (layer) => layer;
  return LAYER_STEPS[key];
}

/** The state after one more event. Never mutates `state`. */
export function nextPullState(state: PullState, event: PullEvent): PullState {
  const error = pullEventError(event);
  if (error !== undefined) return state.error === undefined ? { ...state, error } : state;
  const status = event.status ?? '';
  if (status.startsWith('Status:')) return { ...state, summary: status };
  const step = event.id ? layerStepFor(status) : undefined;
  if (!step || !event.id) return state;
  const before = state.layers.get(event.id) ?? { current: 0, total: 0, done: false };
  const layers = new Map(state.layers);
  layers.set(event.id, step(before, event.progressDetail ?? {}));
  return { ...state, layers };
}

/** Whether the event changes what progressOf reports (so callers report only real changes). */
export function isLayerEvent(event: PullEvent): boolean {
  return Boolean(event.id && event.status && layerStepFor(event.status));
}

export function progressOf(state: PullState): PullProgress {
  let bytesDone = 0;
  let bytesTotal = 0;
  let layersDone = 0;
  for (const layer of state.layers.values()) {
    bytesTotal += layer.total;
    bytesDone += Math.min(layer.current, layer.total);
    if (layer.done) layersDone += 1;
  }
  return { bytesDone, bytesTotal, layersDone, layersTotal: state.layers.size };
}

/** Folds a whole event sequence. */
export function pullStateOf(events: Iterable<PullEvent>): PullState {
  let state = initialPullState;
  for (const event of events) state = nextPullState(state, event);
  return state;
}

export function aggregatePullProgress(events: Iterable<PullEvent>): PullProgress {
  return progressOf(pullStateOf(events));
}
