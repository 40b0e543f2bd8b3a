export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The local terminal's size (80x24 when it does not say). */
export function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { cols: stdout.columns || 80, rows: stdout.rows || 24 };
}

/**
 * Sends the local size on every change (SIGWINCH: Node's 'resize' on stdout), one resize in flight
 * at a time; a burst of changes (a window being dragged) ends with the last size sent. `resend`
 * sends it again (after a reconnect: a resize may have been lost with the connection).
 */
export function watchSize(stdout: NodeJS.WriteStream, send: (size: TerminalSize) => Promise<void>, onError: (error: unknown) => void): { stop(): void; resend(): void } {
  let sent = sizeOf(stdout);
  let sending = false;
  let stopped = false;
  const update = async () => {
    if (sending) return;
    sending = true;
    try {
      for (;;) {
        const now = sizeOf(stdout);
        if (stopped || (now.cols === sent.cols && now.rows === sent.rows)) break;
        await send(now);
        sent = now;
      }
    } catch (error) {
      if (!stopped) onError(error);
    } finally {
      sending = false;
    }
  };
  const onResize = () => void update();
  stdout.on('resize', onResize);
  return {
    stop() {
      stopped = true;
      stdout.off('resize', onResize);
    },
    resend() {
      sent = { cols: 0, rows: 0 };
      void update();
    },
  };
}
