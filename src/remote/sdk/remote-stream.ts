import { RemoteError } from '../rpc/remote-error.js';

/** A call whose output streams: iterate it for the output, await `result` for the end. */
export interface RemoteStream<E, R> extends AsyncIterable<E> {
  readonly result: Promise<R>;
}

const MAX_UNREAD_EVENTS = 10_000;

/**
 * Events the caller has not read yet are kept (the newest MAX_UNREAD_EVENTS; a command's full
 * output is also in its result, bounded by the agent); iteration ends when the call does and
 * throws its error if it failed.
 */
export function remoteStream<E, R>(run: (push: (event: E) => void) => Promise<R>): RemoteStream<E, R> {
  const unread: E[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: RemoteError | undefined;
  const push = (event: E) => {
    unread.push(event);
    if (unread.length > MAX_UNREAD_EVENTS) unread.shift();
    wake?.();
  };
  const result = run(push).then(
    (value) => {
      finished = true;
      wake?.();
      return value;
    },
    (error: unknown) => {
      finished = true;
      failure = RemoteError.from(error);
      wake?.();
      throw failure;
    },
  );
  // Iterating alone must not leave `result` as an unhandled rejection; awaiting it still throws.
  result.catch(() => undefined);
  return {
    result,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (unread.length > 0) {
          yield unread.shift()!;
          continue;
        }
        if (finished) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
  };
}

/** Chunks handed from the RPC client to an iterating reader one at a time: a chunk counts as read (and is acked) when taken. */
export function chunkHandoff(onAbandoned: () => void): { give(chunk: Uint8Array): Promise<void>; end(error?: unknown): void; chunks: AsyncIterable<Uint8Array> } {
  const waiting: { chunk: Uint8Array; taken(): void }[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: RemoteError | undefined;
  return {
    give: (chunk) =>
      new Promise<void>((taken) => {
        waiting.push({ chunk, taken });
        wake?.();
      }),
    end: (error) => {
      ended = true;
      if (error !== undefined) failure = RemoteError.from(error);
      wake?.();
    },
    chunks: {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            const next = waiting.shift();
            if (next) {
              next.taken();
              yield next.chunk;
              continue;
            }
            if (ended) {
              if (failure) throw failure;
              return;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
          }
        } finally {
          // The reader stopped early (break, throw): the rest is not wanted.
          if (!ended) onAbandoned();
        }
      },
    },
  };
}
