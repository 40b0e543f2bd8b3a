/** Sizes and timings both sides keep to; docs/remote-protocol.md lists them. */
export const LIMITS = {
  /**
   * A sealed binary frame larger than this is refused before any decryption. Chunks are far
   * smaller; the bound is for the largest JSON message (a command's bounded output, a page of
   * a folder listing). Agents should also set the WebSocket server's maxPayload to it.
   */
  maxFrameBytes: 4 * 1024 * 1024,
  /** A plain handshake frame (hello, welcome, refused) larger than this is refused unparsed. */
  maxHandshakeFrameBytes: 4096,
  /** Bytes of file content or output per chunk message. */
  chunkBytes: 64 * 1024,
  /** A sender stops when this many chunk bytes of one call are unacknowledged. */
  creditWindowBytes: 2 * 1024 * 1024,
  /** A receiver acks once it has consumed this many bytes since its last ack. */
  ackEveryBytes: 16 * 1024,
  /** The handshake must finish within this time. */
  handshakeTimeoutMs: 10_000,
  /** Each side pings this often... */
  heartbeatIntervalMs: 15_000,
  /** ...and a client gives the agent up after this long without hearing anything from it. */
  heartbeatTimeoutMs: 45_000,
  /**
   * The agent waits longer for a silent client: browsers run a hidden tab's timers about once a
   * minute, so its pings come late while the tab is still there.
   */
  agentHeartbeatTimeoutMs: 150_000,
  /** A resumable call's stream outlives its session by this long (a relay restart, a phone changing networks). */
  resumeGraceMs: 60_000,
  /** The newest events of a resumable call the agent keeps for a resume: at most this many... */
  resumeBufferEvents: 5_000,
  /** ...and at most this many bytes of their JSON. */
  resumeBufferBytes: 1024 * 1024,
} as const;
