/**
 * What every face of the agent uses to keep secrets from devices that should not see them:
 * known values become `<SECRET:source:NAME:ab…yz>`, likely ones `<POSSIBLE_SECRET:kind:ab…yz>`,
 * and tokens sent back are turned into the real values just before a write or command runs.
 */
export interface Redactor {
  redact(text: string): string;
  /** Known tokens → their values; unknown tokens stay as they are. */
  restore(text: string): string;
  /** For output that arrives in pieces: a secret split across two pieces is still caught. */
  stream(): StreamRedactor;
}

export interface StreamRedactor {
  /** Redacted text that is safe to send now (the tail that may start a secret is held back). */
  push(text: string): string;
  /** What was held back, redacted. */
  end(): string;
  /** How many characters of the input are held back now (not yet in any push's answer). */
  held(): number;
}
