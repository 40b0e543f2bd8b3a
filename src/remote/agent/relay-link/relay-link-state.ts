/** The agent's link to its relay, as `remote-access status` and the agent's screen show it. */
export interface RelayLinkState {
  /** The relay as given to --relay. */
  url: string;
  state: 'connecting' | 'connected' | 'reconnecting' | 'refused';
  /** connected: how devices reach the relay (its --public-url), used in new device links. */
  publicUrl?: string;
  /** connected: since when. */
  since?: string;
  /** reconnecting / refused: why the last attempt ended. */
  reason?: string;
  /** reconnecting / refused: when the next attempt starts, and in how many seconds (at the time of asking). */
  retryAt?: string;
  retryInSeconds?: number;
}

/** The state with retryInSeconds counted from now. */
export function relayStateNow(state: RelayLinkState, now = Date.now()): RelayLinkState {
  if (state.retryAt === undefined) return state;
  return { ...state, retryInSeconds: Math.max(0, Math.ceil((Date.parse(state.retryAt) - now) / 1000)) };
}

export function relayStateText(state: RelayLinkState): string {
  const now = relayStateNow(state);
  switch (now.state) {
    case 'connecting':
      return `connecting to ${now.url}`;
    case 'connected':
      return `connected to ${now.url}`;
    case 'reconnecting':
      return `reconnecting in ${now.retryInSeconds} s (${now.reason})`;
    case 'refused':
      return `refused: ${now.reason} (trying again in ${now.retryInSeconds} s)`;
  }
}
