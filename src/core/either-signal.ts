/** A signal that aborts when either one does (AbortSignal.any needs Node 20.3). */
export function eitherSignal(first: AbortSignal, second: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } {
  if (second === undefined) return { signal: first, dispose: () => {} };
  const controller = new AbortController();
  const abortFrom = (source: AbortSignal) => () => controller.abort(source.reason);
  const onFirst = abortFrom(first);
  const onSecond = abortFrom(second);
  if (first.aborted) onFirst();
  else if (second.aborted) onSecond();
  else {
    first.addEventListener('abort', onFirst, { once: true });
    second.addEventListener('abort', onSecond, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      first.removeEventListener('abort', onFirst);
      second.removeEventListener('abort', onSecond);
    },
  };
}
