import type { RemoteServer } from '../../remote/sdk/index.js';

/** What every view gets: the connected server, and the page's shared status line. */
export interface AppContext {
  server: RemoteServer;
  /** One line under the header: what the page waits for, what just happened, what failed. */
  notify(text: string, tone?: 'info' | 'ok' | 'wait' | 'error'): void;
  /** A call failed because the connection is gone: the page offers to connect again. */
  lost(error: unknown): void;
}
