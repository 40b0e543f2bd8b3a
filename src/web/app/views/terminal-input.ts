/** Characters per terminal.write (the wire takes at most 64 Ki UTF-16 units): a long paste goes in pieces. */
const MAX_WRITE = 16 * 1024;

/** Splits `data` into pieces of at most `max` UTF-16 units, never between the halves of a surrogate pair. */
export function writePieces(data: string, max = MAX_WRITE): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + max, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(data.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * Keystrokes gathered within one animation frame go as one terminal.write (a fast typist or a
 * paste is one message, not one per character), in order, one write at a time. `nextFrame` is
 * requestAnimationFrame in the page (no DOM here: unit-tested under Node).
 */
export function coalescedWriter(write: (data: string) => Promise<void>, onError: (error: unknown) => void, nextFrame: (run: () => void) => void) {
  let pending = '';
  let scheduled = false;
  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    scheduled = false;
    const data = pending;
    pending = '';
    if (!data) return;
    for (const piece of writePieces(data)) chain = chain.then(() => write(piece)).catch(onError);
  };
  return {
    push(data: string) {
      pending += data;
      if (scheduled) return;
      scheduled = true;
      nextFrame(flush);
    },
    /** Resolves once everything pushed so far was written (or failed). */
    drained: () => {
      flush();
      return chain;
    },
  };
}
